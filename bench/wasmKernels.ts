// TensorFlow.js's WebAssembly backend: its own kernels against ours (training/wasmKernels.ts),
// measured in one process, theirs first (ours replace them process-wide): each time step of a
// [32, T, 128] sequence sliced or unstacked (theirs copy the whole input per step: O(T²)), and a
// dense layer's forward pass with both gradients, whose matMuls take transposed operands.
// Run: `npm run build && node dist/bench/wasmKernels.js` (part of `npm run bench`).
import { loadTensorflow } from '../training/tensorflow';

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
if (!(await tf.setBackend('wasm'))) throw new Error('bench: the wasm backend does not start');
await tf.ready();

function median(run: () => void, repeats: number): number {
  run();
  const times: number[] = [];
  for (let index = 0; index < repeats; index++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const sequences = [200, 800].map((steps) => ({ steps, tensor: tf.randomNormal([32, steps, 128]) }));
const [x, w] = [tf.randomNormal([64, 512]), tf.randomNormal([512, 512])];
const cases: Array<{ name: string; run: () => void; repeats: number }> = [
  ...sequences.map(({ steps, tensor }) => ({
    name: `slice each of ${steps} time steps of [32, ${steps}, 128]`,
    run: () => tf.tidy(() => {
      for (let step = 0; step < steps; step++) tf.slice(tensor, [0, step, 0], [32, 1, 128]);
    }),
    repeats: 5,
  })),
  ...sequences.map(({ steps, tensor }) => ({ name: `unstack [32, ${steps}, 128] over time`, run: () => tf.tidy(() => void tf.unstack(tensor, 1)), repeats: 5 })),
  {
    name: 'dense [64,512]·[512,512]: forward and both gradients',
    run: () => tf.tidy(() => {
      const gradients = tf.grads((a, b) => tf.sum(tf.square(tf.matMul(a, b))))([x, w]);
      for (const gradient of gradients) gradient.dataSync();
    }),
    repeats: 15,
  },
];

const theirs = cases.map((entry) => median(entry.run, entry.repeats));
// Ours replace the backend's kernels from here on (the loader registers them with the backend).
await loadTensorflow({ only: '@tensorflow/tfjs-backend-wasm' });
const ours = cases.map((entry) => median(entry.run, entry.repeats));

console.log('\nTensorFlow.js WebAssembly kernels: the backend\'s own vs ours (training/wasmKernels.ts), medians, one process\n');
for (const [index, entry] of cases.entries()) {
  const before = theirs[index] as number;
  const after = ours[index] as number;
  console.log(`ok   ${entry.name}\n     ${after.toFixed(1)} ms vs ${before.toFixed(1)} ms (the backend's own kernels) = ${(after / before).toFixed(3)}×`);
}
