// Adam's state in a checkpoint (optimizer.json + optimizer.bin), so a resumed run continues with
// the moments it had, not from a cold optimiser. tfjs matches the moments to variables by
// position (./sequences.ts optimizerStep passes them in a fixed order), not by name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { ProjectError } from '../../common/errors';
import type { TF } from '../model/network';

export const OPTIMIZER_JSON = 'optimizer.json';
export const OPTIMIZER_BIN = 'optimizer.bin';

interface Layout {
  tensors: Array<{ name: string; shape: number[] }>;
}

export async function optimizerFiles(optimizer: tfjs.Optimizer): Promise<Record<string, Uint8Array>> {
  const named = await optimizer.getWeights();
  const layout: Layout = { tensors: named.map(({ name, tensor }) => ({ name, shape: tensor.shape })) };
  const parts = await Promise.all(named.map(async ({ tensor }) => Buffer.from(new Float32Array(await tensor.data()).buffer)));
  return { [OPTIMIZER_JSON]: Buffer.from(`${JSON.stringify(layout)}\n`), [OPTIMIZER_BIN]: Buffer.concat(parts) };
}

/** Restores the state a checkpoint saved; false when it has none (then the optimiser starts cold, said in the log). */
export async function restoreOptimizer(tf: TF, optimizer: tfjs.Optimizer, folder: string): Promise<boolean> {
  const layoutPath = join(folder, OPTIMIZER_JSON);
  if (!existsSync(layoutPath)) return false;
  const layout = JSON.parse(readFileSync(layoutPath, 'utf8')) as Layout;
  const bytes = readFileSync(join(folder, OPTIMIZER_BIN));
  let offset = 0;
  const named = layout.tensors.map(({ name, shape }) => {
    const size = shape.reduce((product, side) => product * side, 1);
    if (offset + size * 4 > bytes.length) throw new ProjectError(join(folder, OPTIMIZER_BIN), `ends before ${name}`);
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    offset += size * 4;
    return { name, tensor: tf.tensor(values, shape) };
  });
  await optimizer.setWeights(named);
  return true;
}
