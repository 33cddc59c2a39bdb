// Detecting the external trainers' environment against stand-ins on a private PATH: a
// virtualenv-like `python3` (the machine's real Python with a fake `verl` package on its path),
// a fake `llamafactory-cli` printing LLaMA-Factory's version banner, and a fake `nvidia-smi`
// printing the CSV its --query-gpu mode prints. The fakes are named as such; the detection runs
// them as real processes.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/support/tempDir';
import { findOnPath } from '../executables';
import { choosePython, detectTrainingEnvironment, parseNvidiaSmi } from './environment';

const REAL_PYTHON = findOnPath('python3');

function script(folder: string, name: string, body: string): string {
  const path = join(folder, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A bin folder with the requested fakes, and a site folder holding a fake `verl` package. */
function fakeMachine(parts: { python?: boolean; verl?: boolean; llamafactory?: boolean; gpus?: boolean }): string {
  const folder = tempDir();
  const bin = join(folder, 'bin');
  mkdirSync(bin);
  const site = join(folder, 'site');
  if (parts.verl) {
    mkdirSync(join(site, 'verl'), { recursive: true });
    writeFileSync(join(site, 'verl', '__init__.py'), '__version__ = "0.3.1.fake"\n');
  }
  if (parts.python) script(bin, 'python3', `PYTHONPATH='${site}' exec '${REAL_PYTHON}' "$@"`);
  if (parts.llamafactory) {
    script(bin, 'llamafactory-cli', `[ "$1" = version ] || exit 2
cat <<'BANNER'
----------------------------------------------------------
| Welcome to LLaMA Factory, version 0.9.4.dev0 (fake)     |
|                                                        |
| Project page: (fake llamafactory-cli for tests)        |
----------------------------------------------------------
BANNER`);
  }
  if (parts.gpus) {
    script(bin, 'nvidia-smi', `case "$*" in
  *--query-gpu=index,name,memory.total,memory.free,driver_version*)
    echo "0, NVIDIA H100 80GB HBM3, 81559, 80105, 550.54.15"
    echo "1, NVIDIA H100 80GB HBM3, 81559, 1024, 550.54.15";;
  *) exit 9;;
esac`);
  }
  return bin;
}

describe('the training environment', () => {
  it('finds Python, LLaMA-Factory, verl and the GPUs with their memory, and misses nothing', async () => {
    expect(REAL_PYTHON, 'the tests need python3 on PATH').not.toBeNull();
    const bin = fakeMachine({ python: true, verl: true, llamafactory: true, gpus: true });
    const found = await detectTrainingEnvironment({ env: { PATH: bin } });
    expect(found.python).toMatchObject({ command: 'python3', source: 'PATH', path: join(bin, 'python3'), version: expect.stringMatching(/^3\.\d+/) });
    expect(found.python.error).toBeUndefined();
    expect(found.verl).toEqual({ isImportable: true, version: '0.3.1.fake' });
    expect(found.llamafactory).toEqual({ path: join(bin, 'llamafactory-cli'), version: '0.9.4.dev0' });
    expect(found.gpus).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryFreeMiB: 80105, driver: '550.54.15' },
      { index: 1, name: 'NVIDIA H100 80GB HBM3', memoryTotalMiB: 81559, memoryFreeMiB: 1024, driver: '550.54.15' },
    ]);
    expect(found.missing).toEqual([]);
  });

  it('says what is missing and how to get it', async () => {
    const bin = fakeMachine({ python: true });
    const found = await detectTrainingEnvironment({ env: { PATH: bin } });
    expect(found.verl.isImportable).toBe(false);
    expect(found.verl.error).toMatch(/No module named 'verl'/);
    expect(found.missing.map((item) => [item.what, item.forEngine])).toEqual([
      ['LLaMA-Factory (llamafactory-cli)', 'llamafactory'],
      ['EasyR1 (the verl package)', 'easyr1'],
      ['an NVIDIA GPU', 'both'],
    ]);
    expect(found.missing[0]?.install).toBe(`${join(bin, 'python3')} -m pip install "llamafactory[torch,metrics,deepspeed]"`);
    const none = await detectTrainingEnvironment({ env: { PATH: join(bin, 'nothing-here') } });
    expect(none.python.error).toMatch(/python3 is not an executable found on PATH/);
    expect(none.missing[0]?.what).toBe('Python (python3)');
  });

  it('takes --python over FRUSTUM_PYTHON over python3 on PATH', async () => {
    expect(choosePython('/opt/py/bin/python', { FRUSTUM_PYTHON: '/x/python' })).toEqual({ command: '/opt/py/bin/python', source: 'option' });
    expect(choosePython(undefined, { FRUSTUM_PYTHON: '/x/python' })).toEqual({ command: '/x/python', source: 'FRUSTUM_PYTHON' });
    expect(choosePython(undefined, {})).toEqual({ command: 'python3', source: 'PATH' });
    const bin = fakeMachine({ python: true, verl: true });
    const viaEnv = await detectTrainingEnvironment({ env: { PATH: '', FRUSTUM_PYTHON: join(bin, 'python3') } });
    expect(viaEnv.python).toMatchObject({ source: 'FRUSTUM_PYTHON', path: join(bin, 'python3') });
    expect(viaEnv.verl.isImportable).toBe(true);
  });

  it('reads nvidia-smi CSV and skips lines that are not GPUs', () => {
    expect(parseNvidiaSmi('0, Tesla T4, 15360, 15000, 535.1\nNVIDIA-SMI has failed because it could not communicate\n\n')).toEqual([
      { index: 0, name: 'Tesla T4', memoryTotalMiB: 15360, memoryFreeMiB: 15000, driver: '535.1' },
    ]);
  });

  it('is shown by frustum doctor, which passes --python on and keeps its exit code for the essentials', () => {
    const bin = fakeMachine({ python: true, verl: true, llamafactory: true, gpus: true });
    const result = spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'frustum.js'), 'doctor', '--json', '--python', join(bin, 'python3')], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
      timeout: 120_000,
    });
    const report = JSON.parse(result.stdout) as { ok: boolean; training: { python: { source: string }; gpus: unknown[]; missing: unknown[] } };
    expect(result.status).toBe(report.ok ? 0 : 1);
    expect(report.training.python.source).toBe('option');
    expect(report.training.gpus).toHaveLength(2);
    expect(report.training.missing).toEqual([]);
  });
});
