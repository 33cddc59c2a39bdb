// The built-in reasoner's SFT step (training/trainer/sft.ts sftLosses + optimizerStep: the code the
// trainer runs) in TensorFlow.js, against the same network and loss in PyTorch on the CPU
// (bench/pytorchReasoner.py; Debian's python3-torch), one thread each, measured in this run: tokens
// per second at the demo's sizes (batch 32, 150-token chains, hidden 128). The target: at
// most 3× slower than PyTorch. Run: `npm run build && node dist/bench/builtinTraining.js`
// (part of `npm run bench`); FRUSTUM_TORCH_PYTHON names the Python with torch (default: the first
// of /usr/bin/python3 and python3 that imports it).
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { seededRandom } from '../common/random';
import { freshReasoner } from '../training/model/reasoner';
import { loadTensorflow } from '../training/tensorflow';
import { optimizerStep } from '../training/trainer/sequences';
import { sftLosses } from '../training/trainer/sft';

const BATCH = 32;
const TOKENS = 150;
const REPEATS = 7;
const root = resolve(import.meta.dirname, '..', '..');

const loaded = await loadTensorflow();
const { tf } = loaded;
const random = seededRandom(7);
// Chains of 150 pieces from 240 words (each word a piece with its space), 15 questions, 470 evidence features: the demo's sizes.
const words = Array.from({ length: 240 }, (_, index) => ` ${String.fromCharCode(97 + Math.floor(index / 26))}${String.fromCharCode(97 + (index % 26))}`);
const chains = Array.from({ length: 64 }, () => Array.from({ length: TOKENS - 1 }, () => words[Math.floor(random() * words.length)]).join(''));
const inputs = chains.map((_, index) => ({
  input: { question: `Does the camera do motion ${index % 15} here?`, options: ['A. No', 'B. Yes'] },
  evidence: Float32Array.from({ length: 470 }, () => random() * 2 - 1),
}));
const reasoner = freshReasoner(tf, { chains, inputs, evidenceFeatures: [], sizes: { context: 128, embedding: 64, hidden: 128 }, maxTokens: 320, minPieceCount: 1, seed: 1 });
const rows = chains.slice(0, BATCH).map((chain) => [...reasoner.tokenizer.encode(chain), 2]);
const batch = inputs.slice(0, BATCH);
const optimizer = tf.train.adam(1e-3);
const variables = Object.values(reasoner.weights);
const step = () => optimizerStep(tf, optimizer, variables, () => sftLosses(tf, reasoner, batch, rows).total, 1);
step();
const times: number[] = [];
for (let repeat = 0; repeat < REPEATS; repeat++) {
  const started = performance.now();
  step();
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);
const tensorflowMs = times[Math.floor(times.length / 2)] as number;
const tokens = rows.reduce((sum, row) => sum + row.length, 0);
const { shape } = reasoner;
console.log(`SFT step, batch ${BATCH} × ${rows[0]?.length} tokens, vocabulary ${shape.vocabulary}, evidence ${shape.evidenceWidth}, question ${shape.questionWidth}, context ${shape.context}, hidden ${shape.hidden}`);
console.log(`  TensorFlow.js (${loaded.package}): ${tensorflowMs.toFixed(0)} ms a step, ${Math.round((tokens / tensorflowMs) * 1000)} tokens/s`);

const candidates = process.env['FRUSTUM_TORCH_PYTHON'] !== undefined ? [process.env['FRUSTUM_TORCH_PYTHON']] : ['/usr/bin/python3', 'python3'];
const python = candidates.find((command) => spawnSync(command, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
if (python === undefined) {
  console.log('  PyTorch: not measured (no Python here imports torch; apt-get install python3-torch, or set FRUSTUM_TORCH_PYTHON)');
} else {
  const args = [BATCH, rows[0]?.length ?? TOKENS, shape.vocabulary, shape.evidenceWidth, shape.questionWidth, shape.context, shape.embedding, shape.hidden, REPEATS].map(String);
  const run = spawnSync(python, [join(root, 'bench', 'pytorchReasoner.py'), ...args], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  if (run.status !== 0) {
    console.log(`  PyTorch: failed (${run.stderr.trim().split('\n').at(-1)})`);
  } else {
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as { torch: string; median_ms: number; blas: string };
    console.log(`  PyTorch ${result.torch} (${python}, BLAS ${result.blas}): ${result.median_ms.toFixed(0)} ms a step, ${Math.round((tokens / result.median_ms) * 1000)} tokens/s`);
    console.log(`  TensorFlow.js / PyTorch time: ${(tensorflowMs / result.median_ms).toFixed(2)}× (target ≤ 3×)`);
  }
}

if (process.argv.includes('--profile')) {
  const info = await tf.profile(() => {
    step();
  });
  const byKernel = new Map<string, { calls: number; ms: number }>();
  for (const kernel of info.kernels) {
    const entry = byKernel.get(kernel.name) ?? { calls: 0, ms: 0 };
    entry.calls += 1;
    entry.ms += kernel.kernelTimeMs as number;
    byKernel.set(kernel.name, entry);
  }
  console.log([...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15).map(([name, { calls, ms }]) => `  ${name.padEnd(22)} ${String(calls).padStart(5)} calls ${ms.toFixed(1).padStart(7)} ms`).join('\n'));
}
