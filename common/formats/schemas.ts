// The record shapes of every file format Frustum reads and writes (DESIGN.md: Formats), as
// zod schemas: the single place where outside JSON becomes typed data. Records keep their
// unknown keys (looseObject) because exports must give back exactly what was imported.
import { z } from 'zod';

/** Longest text accepted in one field. A 10 MB chain is a broken file, not a dataset. */
export const LIMITS = {
  shortText: 4_096, // ids, paths, option strings, labels
  question: 65_536,
  chain: 1_048_576, // an O-T-A chain or a model output
} as const;

const shortText = z.string().max(LIMITS.shortText, `longer than ${LIMITS.shortText} characters`);
const questionText = z.string().max(LIMITS.question, `longer than ${LIMITS.question} characters`);
const longText = z.string().max(LIMITS.chain, `longer than ${LIMITS.chain} characters (1 MiB)`);
const identifier = z.union([shortText, z.number().int()]);
const options = z.array(shortText).max(26, 'more than 26 options');

export const FORMAT_NAMES = ['sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** LLaMA-Factory sharegpt record, as `dataset_info.json` maps it (columns messages, videos). */
export const sftRecord = z.looseObject({
  messages: z
    .array(z.looseObject({ role: z.enum(['system', 'user', 'assistant']), content: longText }))
    .min(2, 'needs a user and an assistant message'),
  videos: z.array(shortText).optional(),
});

/** EasyR1 record (prompt_key problem, answer_key answer, video_key videos) + OneThinker fields. */
export const rlRecord = z.looseObject({
  problem: questionText,
  answer: shortText,
  videos: z.array(shortText).min(1, 'needs at least one video'),
  problem_id: identifier.optional(),
  problem_type: shortText.optional(),
  data_type: shortText.optional(),
  options: options.optional(),
});

/** OneThinker / CamReasoner evaluation question (e.g. camerabench_binary.json). */
export const evalRecord = z.looseObject({
  problem_id: identifier,
  problem: questionText,
  data_type: shortText,
  problem_type: shortText,
  options: options,
  process: longText.optional(),
  solution: shortText,
  path: shortText,
  data_source: shortText.optional(),
  dataset: shortText.optional(),
  id: identifier.optional(),
});

/** One record of CamReasoner's evaluator output: the question plus what the model said. */
export const resultRecord = evalRecord.extend({
  output: z.union([longText, z.array(z.unknown())]),
  prediction: longText,
  accuracy: z.number(),
});

export const resultsFile = z.looseObject({
  results: z.array(z.unknown()),
  metrics: z.record(z.string(), z.unknown()).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

/** CameraBench binary-classification JSONL (one file per primitive). */
export const cameraBenchRecord = z.looseObject({
  image: shortText,
  question: questionText,
  label: z.enum(['Yes', 'No'], 'must be "Yes" or "No"'),
  task: shortText.optional(),
  label_name: shortText.optional(),
});

/** One score of a CameraBench score file, as its official evaluator reads it. */
export const cameraBenchScore = z.looseObject({
  sample_id: identifier.optional(),
  video_path: shortText,
  question: questionText,
  ground_truth_label: shortText,
  method: shortText.optional(),
  score: z.number().nullable(),
  error: z.string().max(LIMITS.chain).nullable(),
});

export const cameraBenchScoreFile = z.looseObject({
  metadata: z.record(z.string(), z.unknown()),
  scores: z.array(z.unknown()),
});

export type SftRecord = z.infer<typeof sftRecord>;
export type RlRecord = z.infer<typeof rlRecord>;
export type EvalRecord = z.infer<typeof evalRecord>;
export type ResultRecord = z.infer<typeof resultRecord>;
export type CameraBenchRecord = z.infer<typeof cameraBenchRecord>;
export type CameraBenchScore = z.infer<typeof cameraBenchScore>;

/** The first problem zod found, as a field path and a reason. */
export function describeZodError(error: z.ZodError): { field: string | undefined; reason: string } {
  const issue = error.issues[0];
  if (!issue) return { field: undefined, reason: 'invalid record' };
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  let reason = issue.message;
  if (issue.code === 'invalid_type') {
    reason = /received undefined/.test(issue.message) ? 'is missing' : issue.message.replace(/^Invalid input: /, '');
  }
  return { field, reason };
}
