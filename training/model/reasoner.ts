// The built-in reasoner as one object: its network's weights (TensorFlow.js variables), the
// tokenizer, the question vocabulary and the evidence statistics. Made fresh from training
// examples or read back from a checkpoint; turned into input tensors and back into checkpoints.
import type * as tfjs from '@tensorflow/tfjs';
import { FORMAT, type ModelCheckpoint } from './checkpoint';
import { buildQuestionVocabulary, encodeQuestion, fitStandardizer, questionWidth, standardize, type QuestionInput, type QuestionVocabulary, type Standardizer } from './inputs';
import { initialWeights, parameterShapes, type NetworkShape, type TF, type Weights } from './network';
import { buildTokenizer, tokenizerOf, type Tokenizer } from './tokenizer';

export interface Reasoner {
  shape: NetworkShape;
  tokenizer: Tokenizer;
  questions: QuestionVocabulary;
  standardizer: Standardizer;
  evidenceFeatures: string[];
  maxTokens: number;
  weights: Weights<tfjs.Variable>;
}

/** What a model reads of one example. */
export interface ModelInput {
  input: QuestionInput;
  /** Pooled evidence (./inputs.ts poolEvidence). */
  evidence: Float32Array;
}

export interface FreshOptions {
  chains: readonly string[];
  inputs: readonly ModelInput[];
  evidenceFeatures: string[];
  sizes: { context: number; embedding: number; hidden: number };
  maxTokens: number;
  minPieceCount: number;
  seed: number;
}

export function freshReasoner(tf: TF, options: FreshOptions): Reasoner {
  const tokenizer = buildTokenizer(options.chains, { minCount: options.minPieceCount });
  const questions = buildQuestionVocabulary(options.inputs.map((example) => example.input));
  const standardizer = fitStandardizer(options.inputs.map((example) => example.evidence));
  const shape: NetworkShape = {
    evidenceWidth: standardizer.mean.length,
    questionWidth: questionWidth(questions),
    vocabulary: tokenizer.pieces.length,
    ...options.sizes,
  };
  return { shape, tokenizer, questions, standardizer, evidenceFeatures: options.evidenceFeatures, maxTokens: options.maxTokens, weights: initialWeights(tf, shape, options.seed) };
}

export function reasonerFromCheckpoint(tf: TF, checkpoint: ModelCheckpoint, trainable = true): Reasoner {
  const { description } = checkpoint;
  const weights: Weights<tfjs.Variable> = {};
  for (const { name, shape } of description.weights) weights[name] = tf.tidy(() => tf.variable(tf.tensor(checkpoint.weights[name] as Float32Array, shape), trainable));
  return {
    shape: description.shape,
    tokenizer: tokenizerOf(description.pieces),
    questions: { words: description.questionWords },
    standardizer: description.standardizer,
    evidenceFeatures: description.evidenceFeatures,
    maxTokens: description.maxTokens,
    weights,
  };
}

export function checkpointOf(reasoner: Reasoner, facts: { step: number; objective: string; about: Record<string, string> }): ModelCheckpoint {
  const shapes = parameterShapes(reasoner.shape);
  const weights: Record<string, Float32Array> = {};
  for (const name of Object.keys(shapes)) weights[name] = (reasoner.weights[name] as tfjs.Variable).dataSync() as Float32Array;
  return {
    description: {
      format: FORMAT,
      shape: reasoner.shape,
      pieces: [...reasoner.tokenizer.pieces],
      questionWords: [...reasoner.questions.words],
      evidenceFeatures: reasoner.evidenceFeatures,
      standardizer: reasoner.standardizer,
      maxTokens: reasoner.maxTokens,
      step: facts.step,
      objective: facts.objective,
      weights: Object.entries(shapes).map(([name, shape]) => ({ name, shape })),
      about: facts.about,
    },
    weights,
  };
}

/** The encoder's inputs for these examples: standardised evidence [B, Fe] and question vectors [B, Fq]. */
export function inputTensors(tf: TF, reasoner: Reasoner, examples: readonly ModelInput[]): { evidence: tfjs.Tensor2D; question: tfjs.Tensor2D } {
  const { evidenceWidth, questionWidth: width } = reasoner.shape;
  const evidence = new Float32Array(examples.length * evidenceWidth);
  const question = new Float32Array(examples.length * width);
  examples.forEach((example, row) => {
    if (example.evidence.length !== evidenceWidth) throw new Error(`evidence of ${example.evidence.length} values; the model reads ${evidenceWidth} (evidence from another analyzer version?)`);
    evidence.set(standardize(reasoner.standardizer, example.evidence), row * evidenceWidth);
    question.set(encodeQuestion(reasoner.questions, example.input), row * width);
  });
  return { evidence: tf.tensor2d(evidence, [examples.length, evidenceWidth]), question: tf.tensor2d(question, [examples.length, width]) };
}

export function disposeReasoner(reasoner: Reasoner): void {
  for (const variable of Object.values(reasoner.weights)) variable.dispose();
}
