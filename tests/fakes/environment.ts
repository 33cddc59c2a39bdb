// The environment in which the fake trainers are the engines a person would have installed:
// tests/fakes/llamafactory first on PATH (llamafactory-cli), tests/fakes/easyr1 on PYTHONPATH
// (`python3 -m verl.trainer.main`), paced by FAKE_*_STEP_SECONDS (0 unless given). Shared by the
// CLI, studio and browser tests (run from source: the paths are this folder's).
import { delimiter, join } from 'node:path';

export const FAKE_LLAMAFACTORY = join(__dirname, 'llamafactory');
export const FAKE_EASYR1 = join(__dirname, 'easyr1');

export function fakeEnginesEnvironment(extra: Record<string, string> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    PATH: `${FAKE_LLAMAFACTORY}${delimiter}${base['PATH'] ?? ''}`,
    PYTHONPATH: [FAKE_EASYR1, base['PYTHONPATH']].filter(Boolean).join(delimiter),
    // The fakes' Python modules must not leave __pycache__ in the source tree.
    PYTHONDONTWRITEBYTECODE: '1',
    FAKE_LLAMAFACTORY_STEP_SECONDS: '0',
    FAKE_EASYR1_STEP_SECONDS: '0',
    ...extra,
  };
}
