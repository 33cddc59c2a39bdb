// Whether the Python the fake trainers need (python3 with PyYAML, as LLaMA-Factory and EasyR1
// read YAML) is here. Off CI, tests that need it are skipped with the reason in their name; on
// CI (.ci/run installs it) its absence is a failure, so those tests can never pass by skipping.
import { spawnSync } from 'node:child_process';

const isHere = spawnSync('python3', ['-c', 'import yaml'], { stdio: 'ignore' }).status === 0;
if (!isHere && process.env['CI'] !== undefined) throw new Error('python3 with PyYAML is missing: .ci/run installs python3 and python3-yaml');

export const HAS_PYTHON_WITH_YAML = isHere;
/** Appended to a suite's name when it is skipped. */
export const PYTHON_SKIP_NOTE = isHere ? '' : ' (skipped: python3 with PyYAML is not available)';
