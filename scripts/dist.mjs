// `npm run dist`: build, package with electron-builder (electron-builder.yml), and always put
// the Node build of better-sqlite3 back afterwards — electron-builder rebuilds it in place for
// Electron's ABI, after which the CLI and the tests could not load it.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const builder = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');

const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' }).status ?? 1;

let status = run(npm, ['run', '-s', 'build']);
if (status === 0) {
  status = run(builder, ['--config', 'electron-builder.yml', ...process.argv.slice(2)]);
  const restored = run(npm, ['rebuild', 'better-sqlite3']);
  if (restored !== 0) console.error('could not rebuild better-sqlite3 for Node: run `npm rebuild better-sqlite3` before using the CLI');
}
process.exit(status);
