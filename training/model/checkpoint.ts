// A built-in model checkpoint folder: model.json (the network's sizes, both vocabularies, the
// evidence statistics, the step and the weights' layout) and weights.bin (every weight as float32
// little-endian, in model.json's order). The ONNX export (../onnx) writes encoder.onnx and
// decoder.onnx beside them; inference reads the folder, training resumes from it.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { array, number, object, record, string, type infer as Infer } from 'zod';
import { ProjectError } from '../../common/errors';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const FORMAT = 'frustum-reasoner-1';

const modelDescription = object({
  format: string(),
  shape: object({
    evidenceWidth: number().int().positive(),
    questionWidth: number().int().positive(),
    vocabulary: number().int().positive(),
    context: number().int().positive(),
    embedding: number().int().positive(),
    hidden: number().int().positive(),
  }),
  /** The tokenizer's pieces, by id. */
  pieces: array(string()),
  questionWords: array(string()),
  /** Evidence features per frame pair (backend/motion/analyze/evidence.ts) and their names. */
  evidenceFeatures: array(string()),
  standardizer: object({ mean: array(number()), scale: array(number()) }),
  /** Longest chain the model writes, in tokens (EOS included). */
  maxTokens: number().int().positive(),
  step: number().int().nonnegative(),
  objective: string(),
  /** Each weight's name and shape, in weights.bin's order. */
  weights: array(object({ name: string(), shape: array(number().int().positive()) })),
  /** Free-form facts (the run, the snapshot hash, the backend) for people reading the folder. */
  about: record(string(), string()),
});
export type ModelDescription = Infer<typeof modelDescription>;

export interface ModelCheckpoint {
  description: ModelDescription;
  weights: Record<string, Float32Array>;
}

/** Writes the folder through a temporary sibling, so a crash never leaves half a checkpoint under the real name. */
export function writeCheckpoint(folder: string, checkpoint: ModelCheckpoint, extraFiles: Record<string, Uint8Array> = {}): void {
  const temporary = `${folder}.partial`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  writeFileSync(join(temporary, WEIGHTS_BIN), float32Blocks(checkpoint.description.weights, checkpoint.weights));
  writeFileSync(join(temporary, MODEL_JSON), `${JSON.stringify(checkpoint.description, null, 1)}\n`);
  for (const [name, bytes] of Object.entries(extraFiles)) writeFileSync(join(temporary, name), bytes);
  rmSync(folder, { recursive: true, force: true });
  renameSync(temporary, folder);
}

export function readCheckpoint(folder: string): ModelCheckpoint {
  const path = join(folder, MODEL_JSON);
  let parsed;
  try {
    parsed = modelDescription.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ProjectError(path, `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!parsed.success) throw new ProjectError(path, `is not a Frustum model description: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const description = parsed.data;
  if (description.format !== FORMAT) throw new ProjectError(path, `is format ${description.format}; this Frustum reads ${FORMAT}`);
  return { description, weights: readFloat32Blocks(join(folder, WEIGHTS_BIN), description.weights) };
}

/** A named float32 array's place in a binary file: weights.bin and the optimiser's state use the same layout. */
export interface Float32Block {
  name: string;
  shape: readonly number[];
}

function sizeOf(block: Float32Block): number {
  return block.shape.reduce((product, side) => product * side, 1);
}

/** The arrays end to end in `layout`'s order, float32 in the machine's order (little-endian wherever Frustum runs). */
export function float32Blocks(layout: readonly Float32Block[], values: Readonly<Record<string, Float32Array>>): Buffer {
  return Buffer.concat(layout.map((block) => {
    const array = values[block.name];
    if (array === undefined || array.length !== sizeOf(block)) throw new Error(`${block.name}: expected ${sizeOf(block)} values, got ${array?.length ?? 'none'}`);
    return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  }));
}

/** The arrays of a file float32Blocks wrote; a file shorter or longer than its layout says is refused naming it. */
export function readFloat32Blocks(path: string, layout: readonly Float32Block[]): Record<string, Float32Array> {
  const bytes = readFileSync(path);
  const arrays: Record<string, Float32Array> = {};
  let offset = 0;
  for (const block of layout) {
    const size = sizeOf(block);
    if (offset + size * 4 > bytes.length) throw new ProjectError(path, `ends before ${block.name} (${bytes.length} bytes)`);
    // Copied: a Buffer's offset need not be 4-aligned for a Float32Array view.
    const values = new Float32Array(size);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + size * 4));
    arrays[block.name] = values;
    offset += size * 4;
  }
  if (offset !== bytes.length) throw new ProjectError(path, `has ${bytes.length - offset} bytes after ${layout.at(-1)?.name ?? 'its layout'}`);
  return arrays;
}
