// `npm start`: the studio's main job on the embedded default, the demo project of synthetic
// clips with exact ground truth (`frustum demo`), then the same commands on the bundled
// CameraBench sample (examples/camerabench-sample); no server to install, no model to
// download. Each step is a `frustum` command, printed before it runs so it can be repeated by
// hand. Then it opens the studio on the demo project: the Electron window when Electron's
// binary is installed, else the web mode (`frustum serve`) in the browser. With CI=true or
// `--no-studio` it stops after the pipeline, so scripted runs terminate.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const demo = join(root, 'demo');
const project = join(demo, 'demo.frustum');
const sample = join(root, 'examples', 'camerabench-sample');
const rel = (path) => relative(process.cwd(), path) || '.';

function frustum(...args) {
  console.log(`\n$ frustum ${args.map((arg) => (arg.startsWith('/') ? rel(arg) : arg)).join(' ')}`);
  try {
    execFileSync(process.execPath, [join(root, 'bin', 'frustum.js'), ...args], { stdio: 'inherit' });
  } catch (error) {
    if (args[0] !== 'validate') throw error; // validate exits 3 when it finds errors: that is its job
  }
}

mkdirSync(demo, { recursive: true });
frustum('demo', project, '--force');
frustum('stats', project);
frustum('analyze', join(demo, 'demo-clips', 'clips', '0008_pan_left_fast.mp4'));
rmSync(join(demo, 'analyzer-scores'), { recursive: true, force: true });
frustum('analyze', project, '--scores', join(demo, 'analyzer-scores'));
frustum('score', ...readdirSync(join(demo, 'analyzer-scores')).map((name) => join(demo, 'analyzer-scores', name)));
frustum('validate', join(demo, 'demo-clips', 'sft.json'), '--limit', '5');
frustum('validate', project, '--limit', '5'); // the project's chains against the analyzer's readings
frustum('export', project, '--format', 'sft', '--out', join(demo, 'export', 'camreasoning_sft.json'));
frustum('export', project, '--format', 'rl', '--out', join(demo, 'export', 'camreasoning_rl.json'));
// The built-in reasoner trained on the demo clips, SFT then a few GRPO steps from its checkpoint
// (TensorFlow.js here, no GPU): the Train view opens on real jobs with real curves and rollouts.
frustum('train', project, '--engine', 'builtin', '--objective', 'sft', '--set', 'trainer.max_seconds=50');
frustum('train', project, '--engine', 'builtin', '--objective', 'grpo', '--set', 'trainer.max_steps=4', '--set', 'trainer.val_freq=2');
// Its newest checkpoint asked about every demo question (ONNX, a second or two): the Inspect view opens on a real run.
frustum('infer', project, '--builtin');
frustum('export', project, '--format', 'results', '--run', '1', '--out', join(demo, 'export', 'builtin_results.json'));

// Real CameraBench questions shipped with the repository (their clips are not: they import as missing).
const sampleProject = join(demo, 'camerabench-sample.frustum');
for (const suffix of ['', '-wal', '-shm']) rmSync(sampleProject + suffix, { force: true });
frustum('init', sampleProject);
frustum('import', sampleProject, join(sample, 'questions.json'), join(sample, 'camerabench.jsonl'), join(sample, 'sft.json'));
frustum('validate', join(sample, 'sft.json'), '--limit', '5');

console.log(`\nThe demo project is ${rel(project)} (clips in ${rel(join(demo, 'demo-clips'))}); exports are in ${rel(join(demo, 'export'))} (LLaMA-Factory reads dataset_info.json there).`);

// ---- the studio
if (process.env.CI === 'true' || process.argv.includes('--no-studio')) {
  console.log('\nOpen the studio on it with: npm run serve -- demo/demo.frustum  (or: node bin/frustum.js serve demo/demo.frustum)');
} else {
  openStudio();
}

/**
 * The Electron binary's path when it was downloaded (electron's install script writes its
 * relative path to node_modules/electron/path.txt), else null. Found without requiring
 * 'electron', which would try to download it.
 */
function electronBinary() {
  const folder = join(root, 'node_modules', 'electron');
  try {
    const relativePath = readFileSync(join(folder, 'path.txt'), 'utf8').trim();
    const binary = join(folder, 'dist', relativePath);
    return relativePath !== '' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function openStudio() {
  const binary = electronBinary();
  let child;
  if (binary) {
    console.log(`\n$ electron dist/electron/main.js ${rel(project)}`);
    child = spawn(binary, [join(root, 'dist', 'electron', 'main.js'), project], { stdio: 'inherit' });
  } else {
    console.log("\nElectron's binary is not installed (node_modules/electron/dist is missing), so the studio opens in your browser instead.");
    console.log(`$ frustum serve ${rel(project)}   (Ctrl+C stops it)`);
    child = spawn(process.execPath, [join(root, 'bin', 'frustum.js'), 'serve', project], { stdio: 'inherit' });
  }
  // Ctrl+C reaches the child by itself (same process group): just wait for it to close the
  // project. A SIGTERM sent to this script alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}
