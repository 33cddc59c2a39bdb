// The exported reasoner (./export.ts) run by onnxruntime on the CPU: chains generated for a batch
// of clips, greedily or sampled with a seed, and teacher-forced logits for checking the export
// against TensorFlow.js. One intra-op thread by default: decoding is hundreds of tiny steps, where
// a thread pool's wake-ups cost more than they split, and batch jobs run one session per core.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { ProjectError } from '../../common/errors';
import { deriveSeed, seededRandom, type Random } from '../../common/random';
import { readCheckpoint, type ModelDescription } from '../model/checkpoint';
import type { NetworkShape } from '../model/network';
import { BOS, EOS } from '../model/tokenizer';
import { DECODER_ONNX, ENCODER_ONNX } from './export';

export type DecodingMode = 'greedy' | { temperature: number; seed: number; topK?: number };

export interface GenerateRequest {
  /** One evidence vector per row (the model's evidenceWidth values each). */
  evidence: readonly Float32Array[];
  /** One question vector per row (questionWidth values each). */
  question: readonly Float32Array[];
  /** Most tokens written per row, EOS included (the checkpoint's maxTokens). */
  maxTokens: number;
  mode: DecodingMode;
}

export interface TeacherForcedLogits {
  /** Row-major [batch, steps, vocabulary]: [b, t] predicts the token after tokens[b][t]. */
  values: Float32Array;
  dims: readonly [batch: number, steps: number, vocabulary: number];
}

/** The sizes the two graphs declare (the decoder's embedding width is internal to it). */
export type SessionShape = Omit<NetworkShape, 'embedding'>;

export interface ReasonerSessions {
  readonly shape: SessionShape;
  /**
   * Each row's tokens, BOS not included, EOS included when the row wrote it (a row without EOS
   * ran out of maxTokens). Rows finish independently; the batch steps until all have finished.
   * Sampling gives row i the random stream deriveSeed(seed, i), so a row's chain does not depend
   * on the other rows of the batch.
   */
  generate(request: GenerateRequest): Promise<number[][]>;
  /** Teacher-forced logits of whole rows of equal length (BOS first, as in training). */
  logits(tokens: readonly (readonly number[])[], evidence: readonly Float32Array[], question: readonly Float32Array[]): Promise<TeacherForcedLogits>;
  /** Releases both sessions; further calls fail. Safe to call twice. */
  close(): Promise<void>;
}

export interface ReasonerSessionOptions {
  /** onnxruntime's intra-op threads; 1 unless given. */
  intraOpNumThreads?: number;
  /** When given (a checkpoint's description.shape), graphs of other sizes are refused naming their file. */
  shape?: NetworkShape;
}

/** A model file's path, or its bytes (then called by its usual name in errors). */
export type ModelFile = Uint8Array | string;

interface Opened {
  session: InferenceSession;
  role: 'encoder' | 'decoder';
  /** The path, or the usual file name for bytes: what errors name. */
  label: string;
}

const ENCODER_INPUTS = ['evidence', 'question'];
const ENCODER_OUTPUTS = ['context', 'state'];
const DECODER_INPUTS = ['tokens', 'context', 'state'];
const DECODER_OUTPUTS = ['logits', 'state_out'];

export async function openReasonerSessions(files: { encoder: ModelFile; decoder: ModelFile }, options: ReasonerSessionOptions = {}): Promise<ReasonerSessions> {
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  const opened: Opened[] = [];
  try {
    const encoder = await openModel(files.encoder, 'encoder', sessionOptions);
    opened.push(encoder);
    const decoder = await openModel(files.decoder, 'decoder', sessionOptions);
    opened.push(decoder);
    const shape = sessionShape(encoder, decoder);
    if (options.shape !== undefined) checkShape(shape, options.shape, encoder, decoder);
    return reasonerSessions(encoder.session, decoder.session, shape);
  } catch (error) {
    // A pair that cannot be used is not kept half open.
    await Promise.all(opened.map((entry) => entry.session.release()));
    throw error;
  }
}

/** A checkpoint folder's description and the paths of its two ONNX files (ready for openReasonerSessions). */
export function readOnnxModel(folder: string): { description: ModelDescription; encoder: string; decoder: string } {
  const { description } = readCheckpoint(folder);
  const [encoder, decoder] = [join(folder, ENCODER_ONNX), join(folder, DECODER_ONNX)];
  for (const path of [encoder, decoder]) {
    if (!existsSync(path)) throw new ProjectError(path, 'is missing: this checkpoint was not exported to ONNX');
  }
  return { description, encoder, decoder };
}

async function openModel(file: ModelFile, role: Opened['role'], options: InferenceSession.SessionOptions): Promise<Opened> {
  const label = typeof file === 'string' ? file : role === 'encoder' ? ENCODER_ONNX : DECODER_ONNX;
  try {
    const session = typeof file === 'string' ? await InferenceSession.create(file, options) : await InferenceSession.create(file, options);
    return { session, role, label };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ProjectError(label, `is not a usable ONNX model: ${message.split('\n')[0]}`);
  }
}

/** The sizes, read from the graphs' declared shapes, after checking both are the reasoner's halves and agree. */
function sessionShape(encoder: Opened, decoder: Opened): SessionShape {
  expectNames(encoder, 'inputs', encoder.session.inputNames, ENCODER_INPUTS);
  expectNames(encoder, 'outputs', encoder.session.outputNames, ENCODER_OUTPUTS);
  expectNames(decoder, 'inputs', decoder.session.inputNames, DECODER_INPUTS);
  expectNames(decoder, 'outputs', decoder.session.outputNames, DECODER_OUTPUTS);
  const shape: SessionShape = {
    evidenceWidth: declaredSize(encoder, encoder.session.inputMetadata, 'evidence', 1),
    questionWidth: declaredSize(encoder, encoder.session.inputMetadata, 'question', 1),
    context: declaredSize(encoder, encoder.session.outputMetadata, 'context', 1),
    hidden: declaredSize(encoder, encoder.session.outputMetadata, 'state', 2),
    vocabulary: declaredSize(decoder, decoder.session.outputMetadata, 'logits', 2),
  };
  const decoderContext = declaredSize(decoder, decoder.session.inputMetadata, 'context', 1);
  const decoderHidden = declaredSize(decoder, decoder.session.inputMetadata, 'state', 2);
  if (decoderContext !== shape.context || decoderHidden !== shape.hidden) {
    throw new ProjectError(decoder.label, `reads context ${decoderContext} and state ${decoderHidden} wide, but ${encoder.label} writes ${shape.context} and ${shape.hidden}: the two files are not one model's`);
  }
  return shape;
}

function expectNames(model: Opened, kind: string, actual: readonly string[], expected: readonly string[]): void {
  if (actual.length !== expected.length || expected.some((name) => !actual.includes(name))) {
    throw new ProjectError(model.label, `is not the reasoner's ${model.role}: its ${kind} are [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

function declaredSize(model: Opened, metadata: readonly InferenceSession.ValueMetadata[], name: string, axis: number): number {
  const entry = metadata.find((value) => value.name === name);
  const size = entry?.isTensor === true ? entry.shape[axis] : undefined;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw new ProjectError(model.label, `declares no fixed size for axis ${axis} of ${name}`);
  return size;
}

function checkShape(actual: SessionShape, expected: NetworkShape, encoder: Opened, decoder: Opened): void {
  for (const key of ['evidenceWidth', 'questionWidth', 'context', 'hidden', 'vocabulary'] as const) {
    if (actual[key] !== expected[key]) {
      const file = key === 'vocabulary' ? decoder.label : encoder.label;
      throw new ProjectError(file, `has ${key} ${actual[key]}, but the model description says ${expected[key]}`);
    }
  }
}

function reasonerSessions(encoder: InferenceSession, decoder: InferenceSession, shape: SessionShape): ReasonerSessions {
  let isClosed = false;
  const checkOpen = () => {
    if (isClosed) throw new Error('the reasoner sessions are closed');
  };

  async function encode(evidence: readonly Float32Array[], question: readonly Float32Array[]): Promise<{ context: Tensor; state: Tensor }> {
    if (evidence.length !== question.length) throw new Error(`${evidence.length} evidence rows but ${question.length} question rows`);
    const outputs = await encoder.run({
      evidence: new Tensor('float32', stackRows(evidence, shape.evidenceWidth, 'evidence'), [evidence.length, shape.evidenceWidth]),
      question: new Tensor('float32', stackRows(question, shape.questionWidth, 'question'), [question.length, shape.questionWidth]),
    });
    return { context: outputs['context'] as Tensor, state: outputs['state'] as Tensor };
  }

  return {
    shape,

    async generate(request) {
      checkOpen();
      const { maxTokens, mode } = request;
      if (!Number.isInteger(maxTokens) || maxTokens < 1) throw new RangeError(`maxTokens must be a positive integer, not ${maxTokens}`);
      const pick = picker(mode, request.evidence.length, shape.vocabulary);
      const batch = request.evidence.length;
      if (batch === 0) return [];
      const { context, state: firstState } = await encode(request.evidence, request.question);
      let state = firstState;
      const rows: number[][] = Array.from({ length: batch }, () => []);
      const previous = new BigInt64Array(batch).fill(BigInt(BOS));
      let unfinished = batch;
      for (let step = 0; step < maxTokens && unfinished > 0; step++) {
        const outputs = await decoder.run({ tokens: new Tensor('int64', previous, [batch, 1]), context, state });
        const logits = (outputs['logits'] as Tensor).data as Float32Array;
        state = outputs['state_out'] as Tensor;
        for (let row = 0; row < batch; row++) {
          const written = rows[row] as number[];
          // A finished row keeps stepping with its EOS fed back; what it predicts is dropped.
          if (written.at(-1) === EOS) continue;
          const token = pick(logits, row * shape.vocabulary, row);
          written.push(token);
          previous[row] = BigInt(token);
          if (token === EOS) unfinished -= 1;
        }
      }
      return rows;
    },

    async logits(tokens, evidence, question) {
      checkOpen();
      const batch = tokens.length;
      const steps = tokens[0]?.length ?? 0;
      if (batch !== evidence.length) throw new Error(`${batch} token rows but ${evidence.length} evidence rows`);
      if (steps === 0) throw new Error('teacher-forced logits need at least one token per row');
      const ids = new BigInt64Array(batch * steps);
      tokens.forEach((row, index) => {
        if (row.length !== steps) throw new Error(`token row ${index} has ${row.length} tokens, row 0 has ${steps}: rows must be of equal length`);
        row.forEach((id, step) => {
          if (!Number.isInteger(id) || id < 0 || id >= shape.vocabulary) throw new RangeError(`token row ${index}, step ${step}: ${id} is not an id of a ${shape.vocabulary}-piece vocabulary`);
          ids[index * steps + step] = BigInt(id);
        });
      });
      const { context, state } = await encode(evidence, question);
      const outputs = await decoder.run({ tokens: new Tensor('int64', ids, [batch, steps]), context, state });
      return { values: (outputs['logits'] as Tensor).data as Float32Array, dims: [batch, steps, shape.vocabulary] };
    },

    async close() {
      if (isClosed) return;
      isClosed = true;
      await Promise.all([encoder.release(), decoder.release()]);
    },
  };
}

function stackRows(rows: readonly Float32Array[], width: number, name: string): Float32Array {
  const stacked = new Float32Array(rows.length * width);
  rows.forEach((row, index) => {
    if (row.length !== width) throw new Error(`${name} row ${index} has ${row.length} values; the model reads ${width}`);
    stacked.set(row, index * width);
  });
  return stacked;
}

/** The next token of a row from its logits at `offset`. */
type Pick = (logits: Float32Array, offset: number, row: number) => number;

function picker(mode: DecodingMode, batch: number, vocabulary: number): Pick {
  if (mode === 'greedy') return (logits, offset) => argmax(logits, offset, vocabulary);
  const { temperature, seed, topK } = mode;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError(`temperature must be positive and finite, not ${temperature}`);
  if (topK !== undefined && (!Number.isInteger(topK) || topK < 1)) throw new RangeError(`topK must be a positive integer, not ${topK}`);
  const randoms: Random[] = Array.from({ length: batch }, (_, row) => seededRandom(deriveSeed(seed, row)));
  const weights = new Float64Array(vocabulary);
  return (logits, offset, row) => sample(logits, offset, vocabulary, temperature, topK ?? vocabulary, randoms[row] as Random, weights);
}

/** The first of the largest, as tf.argMax picks, so greedy chains match TensorFlow.js's. */
function argmax(logits: Float32Array, offset: number, vocabulary: number): number {
  let best = 0;
  let bestValue = logits[offset] as number;
  for (let id = 1; id < vocabulary; id++) {
    const value = logits[offset + id] as number;
    if (value > bestValue) {
      best = id;
      bestValue = value;
    }
  }
  return best;
}

/**
 * One draw from softmax(logits / temperature) over the topK largest (ties at the cut go to the
 * lower id), summed in float64 and walked in id order, so a seed picks the same token everywhere.
 */
function sample(logits: Float32Array, offset: number, vocabulary: number, temperature: number, topK: number, random: Random, weights: Float64Array): number {
  let largest = -Infinity;
  for (let id = 0; id < vocabulary; id++) largest = Math.max(largest, logits[offset + id] as number);
  const weigh = (id: number) => Math.exp(((logits[offset + id] as number) - largest) / temperature);
  weights.fill(0);
  if (topK < vocabulary) {
    const order = Array.from({ length: vocabulary }, (_, id) => id).sort((a, b) => (logits[offset + b] as number) - (logits[offset + a] as number) || a - b);
    for (const id of order.slice(0, topK)) weights[id] = weigh(id);
  } else {
    for (let id = 0; id < vocabulary; id++) weights[id] = weigh(id);
  }
  let total = 0;
  for (let id = 0; id < vocabulary; id++) total += weights[id] as number;
  let remaining = random() * total;
  let last = 0;
  for (let id = 0; id < vocabulary; id++) {
    const weight = weights[id] as number;
    if (weight === 0) continue;
    last = id;
    remaining -= weight;
    if (remaining < 0) return id;
  }
  // Rounding left a sliver past the last kept token.
  return last;
}
