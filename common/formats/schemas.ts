// The record shapes of every file format Frustum reads and writes (DESIGN.md: Formats), as
// zod schemas: the single place where outside JSON becomes typed data. Records keep their
// unknown keys (looseObject) because exports must give back exactly what was imported.
import {
  array,
  enum as literalUnion,
  int,
  looseObject,
  nullable,
  number,
  record,
  string,
  union,
  unknown,
  type ZodError,
  type infer as Infer,
} from 'zod';

/** Longest text accepted in one field. A 10 MB chain is a broken file, not a dataset. */
export const LIMITS = {
  shortText: 4_096, // ids, paths, option strings, labels
  question: 65_536,
  chain: 1_048_576, // an O-T-A chain or a model output
} as const;

const shortText = string().max(LIMITS.shortText, `longer than ${LIMITS.shortText} characters`);
const questionText = string().max(LIMITS.question, `longer than ${LIMITS.question} characters`);
const longText = string().max(LIMITS.chain, `longer than ${LIMITS.chain} characters (1 MiB)`);
const identifier = union([shortText, int()]);
const options = array(shortText).max(26, 'more than 26 options');

/** Formats whose every record is one question about one clip (common/formats/normalize.ts normalizeRecord). */
export const SINGLE_FORMAT_NAMES = ['sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores'] as const;
export type SingleFormatName = (typeof SINGLE_FORMAT_NAMES)[number];
/**
 * Benchmark question sets (issue 13): a record is one or more benchmark items whose structure
 * scoring needs (pair, role, skill, category, reference caption) is kept beside the samples
 * (common/formats/benchmarks.ts, migration 10's benchmark_items).
 */
export const BENCHMARK_FORMAT_NAMES = ['camerabench-vqa', 'camerabench-caption', 'shotbench', 'refineshot'] as const;
export type BenchmarkFormatName = (typeof BENCHMARK_FORMAT_NAMES)[number];
export const FORMAT_NAMES = [...SINGLE_FORMAT_NAMES, ...BENCHMARK_FORMAT_NAMES] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** LLaMA-Factory sharegpt record, as `dataset_info.json` maps it (columns messages, videos). */
export const sftRecord = looseObject({
  messages: array(looseObject({ role: literalUnion(['system', 'user', 'assistant']), content: longText })).min(
    2,
    'needs a user and an assistant message',
  ),
  videos: array(shortText).optional(),
});

/** EasyR1 record (prompt_key problem, answer_key answer, video_key videos) + OneThinker fields. */
export const rlRecord = looseObject({
  problem: questionText,
  answer: shortText,
  videos: array(shortText).min(1, 'needs at least one video'),
  problem_id: identifier.optional(),
  problem_type: shortText.optional(),
  data_type: shortText.optional(),
  options: options.optional(),
});

/** OneThinker / CamReasoner evaluation question (e.g. camerabench_binary.json). */
export const evalRecord = looseObject({
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
  output: union([longText, array(unknown())]),
  prediction: longText,
  accuracy: number(),
});

export const resultsFile = looseObject({
  results: array(unknown()),
  metrics: record(string(), unknown()).optional(),
  meta: record(string(), unknown()).optional(),
});

/** CameraBench binary-classification JSONL (one file per primitive). */
export const cameraBenchRecord = looseObject({
  image: shortText,
  question: questionText,
  label: literalUnion(['Yes', 'No'], 'must be "Yes" or "No"'),
  task: shortText.optional(),
  label_name: shortText.optional(),
});

/** One score of a CameraBench score file, as its official evaluator reads it. */
export const cameraBenchScore = looseObject({
  sample_id: identifier.optional(),
  video_path: shortText,
  question: questionText,
  ground_truth_label: shortText,
  method: shortText.optional(),
  score: nullable(number()),
  error: nullable(string().max(LIMITS.chain)),
});

export const cameraBenchScoreFile = looseObject({
  metadata: record(string(), unknown()),
  scores: array(unknown()),
});

/**
 * CameraBench VQA/retrieval pair (vqa_and_retrieval/<skill>/<task>.jsonl): `pos_text` is Yes for
 * `pos_video` and No for `neg_video`, `neg_text` the reverse. `pos_question`/`neg_question` repeat
 * the texts in the official files; `skill` (a sub-skill), `task`, `images` and `texts` are kept, unread.
 */
export const vqaPairRecord = looseObject({
  pos_video: shortText,
  neg_video: shortText,
  pos_text: questionText,
  neg_text: questionText,
  pos_question: questionText.optional(),
  neg_question: questionText.optional(),
});

/** CameraBench caption_data.json: a clip, the caption request, and the reference caption. */
export const captionRecord = looseObject({
  video: shortText,
  question: questionText,
  answer: questionText,
});

/**
 * ShotBench's test.tsv row as JSON (and RefineShot's refined copy): `type` and `path` are
 * stringified one-element lists (`["video"]`, `['video/x.mp4']`), `options` a JSON object string
 * keyed by letter (evaluation.md §2.1). An options object that is already parsed is read too.
 */
export const shotBenchRecord = looseObject({
  index: identifier,
  type: shortText,
  path: shortText,
  question: questionText,
  options: union([questionText, record(string(), unknown())]),
  answer: shortText,
  category: shortText,
});

export type SftRecord = Infer<typeof sftRecord>;
export type RlRecord = Infer<typeof rlRecord>;
export type EvalRecord = Infer<typeof evalRecord>;
export type ResultRecord = Infer<typeof resultRecord>;
export type CameraBenchRecord = Infer<typeof cameraBenchRecord>;
export type CameraBenchScore = Infer<typeof cameraBenchScore>;

/** The first problem zod found, as a field path and a reason. */
export function describeZodError(error: ZodError): { field: string | undefined; reason: string } {
  const issue = error.issues[0];
  if (!issue) return { field: undefined, reason: 'invalid record' };
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  let reason = issue.message;
  if (issue.code === 'invalid_type') {
    reason = /received undefined/.test(issue.message) ? 'is missing' : issue.message.replace(/^Invalid input: /, '');
  }
  return { field, reason };
}
