// Adam's state in a checkpoint (optimizer.json + optimizer.bin), so a resumed run continues with
// the moments it had, not from a cold optimiser. tfjs matches the moments to variables by
// position (./sequences.ts optimizerStep passes them in a fixed order), not by name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { float32Blocks, readFloat32Blocks } from '../model/checkpoint';
import type { TF } from '../model/network';

export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';

interface Layout {
  tensors: Array<{ name: string; shape: number[] }>;
}

export async function optimizerFiles(optimizer: tfjs.Optimizer): Promise<Record<string, Uint8Array>> {
  const named = await optimizer.getWeights();
  const layout: Layout = { tensors: named.map(({ name, tensor }) => ({ name, shape: tensor.shape })) };
  const values: Record<string, Float32Array> = {};
  for (const { name, tensor } of named) values[name] = new Float32Array(await tensor.data());
  return { [OPTIMIZER_JSON]: Buffer.from(`${JSON.stringify(layout)}\n`), [OPTIMIZER_BIN]: float32Blocks(layout.tensors, values) };
}

/** Restores the state a checkpoint saved; false when it has none (then the optimiser starts cold, said in the log). */
export async function restoreOptimizer(tf: TF, optimizer: tfjs.Optimizer, folder: string): Promise<boolean> {
  const layoutPath = join(folder, OPTIMIZER_JSON);
  if (!existsSync(layoutPath)) return false;
  const layout = JSON.parse(readFileSync(layoutPath, 'utf8')) as Layout;
  const arrays = readFloat32Blocks(join(folder, OPTIMIZER_BIN), layout.tensors);
  const named = layout.tensors.map(({ name, shape }) => ({ name, tensor: tf.tensor(arrays[name] as Float32Array, shape) }));
  await optimizer.setWeights(named);
  return true;
}
