// The built-in reasoner at inference: a checkpoint's ONNX export run by onnxruntime-node (../onnx),
// reading a clip's pooled motion evidence and a question exactly as training did (the checkpoint's
// vocabularies and evidence statistics), writing greedy chains in batches, and scoring the answer
// the way CameraBench's AP needs it: P(the "Yes" letter) among the option letters at the position
// where the chain writes its answer, from the same model's teacher-forced logits.
import { letterOfOption, yesNoOfOption } from '../../common/camerabench/primitives';
import { encodeQuestion, standardize } from '../model/inputs';
import type { ModelInput } from '../model/reasoner';
import { BOS, tokenizerOf } from '../model/tokenizer';
import { openReasonerSessions, readOnnxModel, type ReasonerSessions } from '../onnx/session';
import type { ModelDescription } from '../model/checkpoint';

export interface ReasonerAnswer {
  /** The chain as written (EOS not included). */
  text: string;
  /** Tokens written, EOS included when the model wrote it. */
  tokens: number;
  /** P(Yes) among the option letters where the chain answers; null without a Yes/No option or an answer tag. */
  yesProbability: number | null;
}

export interface BuiltinReasoner {
  description: ModelDescription;
  answer(inputs: readonly ModelInput[], options?: { batchSize?: number }): Promise<ReasonerAnswer[]>;
  close(): Promise<void>;
}

export async function openBuiltinReasoner(checkpointFolder: string, options: { intraOpNumThreads?: number } = {}): Promise<BuiltinReasoner> {
  const model = readOnnxModel(checkpointFolder);
  const { description } = model;
  const sessions = await openReasonerSessions(model, { shape: description.shape, ...options });
  const tokenizer = tokenizerOf(description.pieces);
  const answerTag = description.pieces.indexOf('<answer>');
  const vectors = (input: ModelInput) => ({
    evidence: standardize(description.standardizer, input.evidence),
    question: encodeQuestion({ words: description.questionWords }, input.input),
  });
  return {
    description,
    async answer(inputs, answerOptions = {}) {
      const batchSize = answerOptions.batchSize ?? 64;
      const answers: ReasonerAnswer[] = [];
      for (let start = 0; start < inputs.length; start += batchSize) {
        const batch = inputs.slice(start, start + batchSize).map(vectors);
        const written = await sessions.generate({ evidence: batch.map((row) => row.evidence), question: batch.map((row) => row.question), maxTokens: description.maxTokens, mode: 'greedy' });
        for (const [index, tokens] of written.entries()) {
          const input = inputs[start + index] as ModelInput;
          const row = batch[index] as { evidence: Float32Array; question: Float32Array };
          answers.push({
            text: tokenizer.decode(tokens),
            tokens: tokens.length,
            yesProbability: await yesProbability(sessions, description.pieces, answerTag, tokens, row, input),
          });
        }
      }
      return answers;
    },
    close: () => sessions.close(),
  };
}

async function yesProbability(sessions: ReasonerSessions, pieces: readonly string[], answerTag: number, tokens: readonly number[], row: { evidence: Float32Array; question: Float32Array }, input: ModelInput): Promise<number | null> {
  const at = tokens.indexOf(answerTag);
  if (answerTag < 0 || at < 0 || at + 1 >= tokens.length) return null;
  const letters = input.input.options.map((option) => ({ letter: letterOfOption(option), yesNo: yesNoOfOption(option) }));
  const yes = letters.find((option) => option.yesNo === 'yes')?.letter;
  if (yes === undefined || yes === null) return null;
  const ids = letters.flatMap(({ letter }) => {
    const id = letter === null ? -1 : pieces.indexOf(letter);
    return id < 0 ? [] : [{ letter, id }];
  });
  // Logits of the step that writes the token after <answer>: the rows are BOS + tokens, so step at + 1.
  const { values, dims } = await sessions.logits([[BOS, ...tokens.slice(0, at + 1)]], [row.evidence], [row.question]);
  const vocabulary = dims[2];
  const offset = (at + 1) * vocabulary;
  const logits = ids.map(({ id }) => values[offset + id] as number);
  const top = Math.max(...logits);
  const weights = logits.map((logit) => Math.exp(logit - top));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const yesIndex = ids.findIndex(({ letter }) => letter === yes);
  return yesIndex < 0 ? null : (weights[yesIndex] as number) / total;
}
