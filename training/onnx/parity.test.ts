// The ONNX export against the network it came from: TensorFlow.js's teacher-forced logits and
// greedy chains (network.ts's encode, decodeSequence and decodeStep on the deterministic CPU
// backend) must come out of onnxruntime unchanged, with weights scaled up and biases made non-zero
// so that a misplaced gate block or bias cannot hide behind near-zero logits.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random';
import { tempDir } from '../../tests/support/tempDir';
import { FORMAT, writeCheckpoint, type ModelCheckpoint } from '../model/checkpoint';
import { decodeSequence, decodeStep, encode, initialWeights, parameterShapes, type NetworkShape, type TF } from '../model/network';
import { BOS, EOS } from '../model/tokenizer';
import { loadTensorflow } from '../tensorflow';
import { DECODER_ONNX, ENCODER_ONNX, exportOnnx } from './export';
import { openReasonerSessions, readOnnxModel, type ReasonerSessions } from './session';

const SHAPE: NetworkShape = { evidenceWidth: 20, questionWidth: 14, vocabulary: 30, context: 16, embedding: 8, hidden: 16 };
const BATCH = 3;
const STEPS = 12;
const GREEDY_STEPS = 24;

let tf: TF;
let weights: Record<string, Float32Array>;
let evidence: Float32Array[];
let question: Float32Array[];
const opened: ReasonerSessions[] = [];

/**
 * initialWeights × 3 and the embeddings × 40 (±2, so that the token fed back moves the state and
 * the greedy chains wander instead of repeating one token), every bias uniform in ±0.5
 * (initialWeights' are zero).
 */
function testWeights(seed: number): Record<string, Float32Array> {
  const variables = initialWeights(tf, SHAPE, seed);
  const random = seededRandom(seed);
  const result: Record<string, Float32Array> = {};
  for (const [name, variable] of Object.entries(variables)) {
    const values = Float32Array.from(variable.dataSync(), (value) => value * (name === 'emb' ? 40 : 3));
    if (variable.shape.length === 1) for (let index = 0; index < values.length; index++) values[index] = random() - 0.5;
    result[name] = values;
    variable.dispose();
  }
  return result;
}

/** The test weights with EOS's output bias replaced. */
function eosAt(bias: number): Record<string, Float32Array> {
  return { ...weights, out_b: Float32Array.from(weights['out_b'] as Float32Array, (value, id) => (id === EOS ? bias : value)) };
}

function rows(count: number, width: number, random: () => number): Float32Array[] {
  return Array.from({ length: count }, () => Float32Array.from({ length: width }, () => random() * 2 - 1));
}

function tensors(values: Record<string, Float32Array>) {
  const shapes = parameterShapes(SHAPE);
  return Object.fromEntries(Object.entries(values).map(([name, array]) => [name, tf.tensor(array, shapes[name])]));
}

function stacked(list: Float32Array[], width: number) {
  return tf.tensor2d(Float32Array.from(list.flatMap((row) => [...row])), [list.length, width]);
}

async function open(files: { encoder: Uint8Array | string; decoder: Uint8Array | string }): Promise<ReasonerSessions> {
  const sessions = await openReasonerSessions(files);
  opened.push(sessions);
  return sessions;
}

/** TensorFlow.js greedy chains, one decodeStep per token, argmax as the ONNX session picks. */
function tfGreedy(values: Record<string, Float32Array>, steps: number): number[][] {
  return tf.tidy(() => {
    const model = tensors(values);
    const encoded = encode(tf, model, stacked(evidence, SHAPE.evidenceWidth), stacked(question, SHAPE.questionWidth));
    let previous = tf.tensor1d(new Array<number>(BATCH).fill(BOS), 'int32');
    let state = encoded.state;
    const chains: number[][] = Array.from({ length: BATCH }, () => []);
    for (let step = 0; step < steps; step++) {
      const next = decodeStep(tf, model, encoded, previous, state);
      state = next.state;
      previous = tf.argMax(next.logits, 1).toInt() as typeof previous;
      const ids = previous.dataSync();
      chains.forEach((chain, row) => {
        if (chain.at(-1) !== EOS) chain.push(ids[row] as number);
      });
    }
    return chains;
  });
}

beforeAll(async () => {
  tf = (await loadTensorflow({ only: '@tensorflow/tfjs' })).tf;
  weights = testWeights(7);
  const random = seededRandom(11);
  evidence = rows(BATCH, SHAPE.evidenceWidth, random);
  question = rows(BATCH, SHAPE.questionWidth, random);
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((sessions) => sessions.close()));
});

describe('exportOnnx', () => {
  it('gives the teacher-forced logits of TensorFlow.js within 1e-4', async () => {
    const random = seededRandom(5);
    const tokens = Array.from({ length: BATCH }, () => [BOS, ...Array.from({ length: STEPS - 1 }, () => Math.floor(random() * SHAPE.vocabulary))]);
    const expected = tf.tidy(() => {
      const model = tensors(weights);
      const encoded = encode(tf, model, stacked(evidence, SHAPE.evidenceWidth), stacked(question, SHAPE.questionWidth));
      // decodeSequence is time-major (tokens [T, B], logits row t·B + b); ONNX's logits are [B, T, V].
      const timeMajor = decodeSequence(tf, model, encoded, tf.tensor2d(tokens, [BATCH, STEPS], 'int32').transpose([1, 0]) as tfjs.Tensor2D);
      return timeMajor.reshape([STEPS, BATCH, SHAPE.vocabulary]).transpose([1, 0, 2]).dataSync() as Float32Array;
    });
    const sessions = await open(exportOnnx(SHAPE, weights));
    expect(sessions.shape).toEqual({ evidenceWidth: 20, questionWidth: 14, vocabulary: 30, context: 16, hidden: 16 });
    const actual = await sessions.logits(tokens, evidence, question);
    expect(actual.dims).toEqual([BATCH, STEPS, SHAPE.vocabulary]);
    expect(actual.values.length).toBe(expected.length);
    let largestError = 0;
    let largestLogit = 0;
    for (let index = 0; index < expected.length; index++) {
      largestError = Math.max(largestError, Math.abs((actual.values[index] as number) - (expected[index] as number)));
      largestLogit = Math.max(largestLogit, Math.abs(expected[index] as number));
    }
    expect(largestError).toBeLessThan(1e-4);
    // The scaled weights give logits far from zero, so the bound above says something.
    expect(largestLogit).toBeGreaterThan(1);
  });

  it('writes the same greedy chains as TensorFlow.js, step by step', async () => {
    // EOS never wins: every row runs all GREEDY_STEPS and the whole chain is compared.
    const noEos = eosAt(-100);
    const full = await (await open(exportOnnx(SHAPE, noEos))).generate({ evidence, question, maxTokens: GREEDY_STEPS, mode: 'greedy' });
    expect(full).toEqual(tfGreedy(noEos, GREEDY_STEPS));
    expect(full.map((chain) => chain.length)).toEqual([GREEDY_STEPS, GREEDY_STEPS, GREEDY_STEPS]);
    // Not one token repeated everywhere: the chains exercise the recurrence, not a fixed point.
    expect(new Set(full.flat()).size).toBeGreaterThanOrEqual(4);
    // An EOS bias at which some row stops early (EOS kept as its last token) and another runs on;
    // which bias does it depends on the random weights, so the first that does is used.
    const mixed = [1, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6].map((bias) => ({ bias, chains: tfGreedy(eosAt(bias), GREEDY_STEPS) })).find(({ chains }) => {
      const counts = chains.map((chain) => chain.length);
      return Math.min(...counts) < GREEDY_STEPS && Math.max(...counts) === GREEDY_STEPS;
    });
    expect(mixed, 'an EOS bias where rows stop at different steps').toBeDefined();
    const someEos = eosAt(mixed?.bias ?? 2);
    const stopping = await (await open(exportOnnx(SHAPE, someEos))).generate({ evidence, question, maxTokens: GREEDY_STEPS, mode: 'greedy' });
    expect(stopping).toEqual(tfGreedy(someEos, GREEDY_STEPS));
    const lengths = stopping.map((chain) => chain.length);
    expect(Math.min(...lengths)).toBeLessThan(GREEDY_STEPS);
    expect(Math.max(...lengths)).toBe(GREEDY_STEPS);
    for (const chain of stopping) if (chain.length < GREEDY_STEPS) expect(chain.indexOf(EOS)).toBe(chain.length - 1);
  });

  it('samples repeatably: the same seed gives the same chains, another seed others', async () => {
    const sessions = await open(exportOnnx(SHAPE, weights));
    const request = { evidence, question, maxTokens: 30 };
    const first = await sessions.generate({ ...request, mode: { temperature: 1.5, seed: 42 } });
    const again = await sessions.generate({ ...request, mode: { temperature: 1.5, seed: 42 } });
    const other = await sessions.generate({ ...request, mode: { temperature: 1.5, seed: 43 } });
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // Row i draws from its own stream: without the rows after it, it writes the same chain.
    const fewer = await sessions.generate({ evidence: evidence.slice(0, 2), question: question.slice(0, 2), maxTokens: 30, mode: { temperature: 1.5, seed: 42 } });
    expect(fewer).toEqual(first.slice(0, 2));
    // topK = 1 is greedy whatever the temperature.
    const topOne = await sessions.generate({ ...request, mode: { temperature: 5, seed: 1, topK: 1 } });
    expect(topOne).toEqual(await sessions.generate({ ...request, mode: 'greedy' }));
  });

  it('is read back from a checkpoint folder', async () => {
    const folder = join(tempDir(), 'model');
    const checkpoint: ModelCheckpoint = {
      description: {
        format: FORMAT, shape: SHAPE, pieces: [], questionWords: [], evidenceFeatures: [], standardizer: { mean: [], scale: [] },
        maxTokens: 16, step: 0, objective: 'test', about: {},
        weights: Object.entries(parameterShapes(SHAPE)).map(([name, shape]) => ({ name, shape })),
      },
      weights,
    };
    const onnxFiles = exportOnnx(SHAPE, weights);
    writeCheckpoint(folder, checkpoint, { [ENCODER_ONNX]: onnxFiles.encoder, [DECODER_ONNX]: onnxFiles.decoder });
    const model = readOnnxModel(folder);
    expect(model.description.shape).toEqual(SHAPE);
    const sessions = await openReasonerSessions(model, { shape: model.description.shape });
    opened.push(sessions);
    const fromFolder = await sessions.generate({ evidence, question, maxTokens: 10, mode: 'greedy' });
    expect(fromFolder).toEqual(await (await open(onnxFiles)).generate({ evidence, question, maxTokens: 10, mode: 'greedy' }));
    await expect(openReasonerSessions(model, { shape: { ...SHAPE, vocabulary: 31 } })).rejects.toThrow(`${model.decoder}: has vocabulary 30, but the model description says 31`);
  });

  it('refuses a truncated or corrupt model naming the file', async () => {
    const folder = tempDir();
    const { encoder, decoder } = exportOnnx(SHAPE, weights);
    const truncated = join(folder, DECODER_ONNX);
    writeFileSync(truncated, decoder.subarray(0, Math.floor(decoder.length / 2)));
    await expect(openReasonerSessions({ encoder, decoder: truncated })).rejects.toThrow(new RegExp(`^${truncated.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: is not a usable ONNX model: .+`));
    const garbage = Uint8Array.from(readFileSync(truncated).subarray(0, 64), (byte, index) => byte ^ (index * 37));
    await expect(openReasonerSessions({ encoder: garbage, decoder })).rejects.toThrow(/^encoder\.onnx: is not a usable ONNX model: .+/);
    // Swapped halves load as ONNX but are not the reasoner's encoder.
    await expect(openReasonerSessions({ encoder: decoder, decoder: encoder })).rejects.toThrow(/^encoder\.onnx: is not the reasoner's encoder: its inputs are \[tokens, context, state\]/);
  });
});
