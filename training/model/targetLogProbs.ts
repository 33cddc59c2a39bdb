// log p(target) of each row of logits, with its gradient written by hand: softmax minus the
// target's one-hot, scaled by the upstream gradient. TensorFlow.js has no sparse softmax
// cross-entropy; built from logSoftmax, a one-hot [rows, vocabulary] and a product, it costs five
// kernels over every logit forward and as many back (about 50 ms of a 370 ms SFT step on wasm).
// Here one pass in plain JS over the logits read back (a copy out of the wasm heap) does it.
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from './network';

export function targetLogProbs(tf: TF, logits: tfjs.Tensor2D, targets: Int32Array): tfjs.Tensor1D {
  const [rows, vocabulary] = logits.shape;
  if (targets.length !== rows) throw new Error(`${targets.length} targets for ${rows} rows of logits`);
  const picked = tf.customGrad((...args: Array<tfjs.Tensor | tfjs.GradSaveFunc>) => {
    const [input, save] = args as [tfjs.Tensor2D, tfjs.GradSaveFunc];
    const values = input.dataSync() as Float32Array;
    // Softmax kept for the backward pass (a new array: the CPU backend's dataSync hands back its storage).
    const probabilities = new Float32Array(values.length);
    const result = new Float32Array(rows);
    for (let row = 0; row < rows; row += 1) {
      const offset = row * vocabulary;
      let top = -Infinity;
      for (let column = 0; column < vocabulary; column += 1) top = Math.max(top, values[offset + column] as number);
      let total = 0;
      for (let column = 0; column < vocabulary; column += 1) {
        const weight = Math.exp((values[offset + column] as number) - top);
        probabilities[offset + column] = weight;
        total += weight;
      }
      for (let column = 0; column < vocabulary; column += 1) probabilities[offset + column] = (probabilities[offset + column] as number) / total;
      result[row] = (values[offset + (targets[row] as number)] as number) - top - Math.log(total);
    }
    save([tf.tensor2d(probabilities, [rows, vocabulary])]);
    return {
      value: tf.tensor1d(result),
      gradFunc: (dy: tfjs.Tensor, saved: tfjs.Tensor[]) => {
        const upstream = dy.dataSync() as Float32Array;
        const softmax = (saved[0] as tfjs.Tensor).dataSync() as Float32Array;
        const gradient = new Float32Array(rows * vocabulary);
        for (let row = 0; row < rows; row += 1) {
          const scale = upstream[row] as number;
          if (scale === 0) continue;
          const offset = row * vocabulary;
          for (let column = 0; column < vocabulary; column += 1) gradient[offset + column] = -scale * (softmax[offset + column] as number);
          gradient[offset + (targets[row] as number)] = (gradient[offset + (targets[row] as number)] as number) + scale;
        }
        return tf.tensor2d(gradient, [rows, vocabulary]);
      },
    };
  });
  return picked(logits) as tfjs.Tensor1D;
}
