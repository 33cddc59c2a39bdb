// Turns one validated record of any format into the studio's terms: which question about
// which clip, its options and reference answer, its O-T-A chain, and (for evaluation outputs
// and score files) what a model predicted. All formats meet on one sample identity: the clip's
// file name plus the question text, so an evaluation question, its CameraBench JSONL line and
// its SFT chain become one sample.
import { compile, type ZodType } from 'zod';
import {
  letterOfOption,
  primitiveFromLabelName,
  primitiveFromProblemId,
  primitiveFromQuestion,
  primitiveFromTask,
  type Primitive,
} from '../camerabench/primitives';
import { extractAnswerTag } from '../ota/parse';
import { parsePrompt } from './prompts';
import {
  cameraBenchRecord,
  cameraBenchScore,
  describeZodError,
  evalRecord,
  resultRecord,
  rlRecord,
  sftRecord,
  type SingleFormatName,
} from './schemas';

export const BINARY_OPTIONS = ['A. No', 'B. Yes'] as const;

export interface SampleDraft {
  key: string;
  clipRef: string | null;
  question: string;
  options: string[];
  problemType: string;
  /** The reference option letter, when the record says it. */
  answer: string | null;
  primitive: Primitive | null;
  problemId: string | null;
  /** An O-T-A chain to keep as a revision (SFT assistant turn, OneThinker `process`). */
  chain: string | null;
}

export interface PredictionDraft {
  output: string | null;
  prediction: string | null;
  accuracy: number | null;
  score: number | null;
  error: string | null;
  method: string | null;
}

export interface NormalizedRecord {
  sample: SampleDraft;
  prediction: PredictionDraft | null;
}

export type NormalizeResult = { ok: true; record: NormalizedRecord } | { ok: false; field?: string; reason: string };

export function sampleKey(clipRef: string | null, question: string): string {
  return `${clipRef === null ? '' : clipFileName(clipRef)}\u001f${question.trim()}`;
}

/** The clip's file name: clips are identified by it across formats (CameraBench names are unique). */
export function clipFileName(ref: string): string {
  const slash = Math.max(ref.lastIndexOf('/'), ref.lastIndexOf('\\'));
  return ref.slice(slash + 1);
}

export function fail(field: string | undefined, reason: string): { ok: false; field?: string; reason: string } {
  return field === undefined ? { ok: false, reason } : { ok: false, field, reason };
}

// zod's own compiler turns each record schema into one generated validator: a quarter of the
// runtime parser's time on an import, and it builds no copy of the record. The schemas have no
// transforms or defaults, so a valid record is its own parsed value. A record it rejects is parsed
// again by the runtime parser, whose first issue names the field and the reason.
const compiledSchemas = new WeakMap<ZodType, ZodType>();

function compiled<T>(schema: ZodType<T>): ZodType<T> {
  let fast = compiledSchemas.get(schema);
  if (!fast) {
    fast = compile(schema);
    compiledSchemas.set(schema, fast);
  }
  return fast as ZodType<T>;
}

export function parseWith<T>(schema: ZodType<T>, value: unknown): { ok: true; data: T } | { ok: false; field?: string; reason: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `expected an object, found ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}` };
  }
  if (compiled(schema).validate(value)) return { ok: true, data: value as T };
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  const { field, reason } = describeZodError(result.error);
  return field === undefined ? { ok: false, reason } : { ok: false, field, reason };
}

// Datasets repeat a handful of option lists thousands of times (often the same one record after
// record): read each list's letters, and check it, once.
interface OptionList {
  letters: Array<string | null>;
  /** Why the list is not a valid set of lettered options, or null. */
  problem: string | null;
}
const optionLists = new Map<string, OptionList>();
let lastOptions: readonly string[] = [];
let lastOptionList: OptionList = { letters: [], problem: null };

function optionList(options: readonly string[]): OptionList {
  if (sameStrings(options, lastOptions)) return lastOptionList;
  const cacheKey = JSON.stringify(options);
  let list = optionLists.get(cacheKey);
  if (!list) {
    const letters = options.map((option) => letterOfOption(option));
    list = { letters, problem: optionsProblem(options, letters) };
    if (optionLists.size < 1000) optionLists.set(cacheKey, list);
  }
  lastOptions = [...options];
  lastOptionList = list;
  return list;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

function lettersOf(options: readonly string[]): Array<string | null> {
  return optionList(options).letters;
}

const PLAIN_ANSWER = /^(?:<answer>)?([A-Z])(?:<\/answer>)?$/;

/** The letter an answer text names: "B", or the letter of an option text such as "B. Yes". */
function answerLetter(answer: string, options: readonly string[]): { letter: string } | { reason: string } {
  const plain = PLAIN_ANSWER.exec(answer)?.[1];
  const extracted = plain ?? (extractAnswerTag(answer) ?? answer).trim();
  const letters = lettersOf(options);
  if (/^[A-Z]$/.test(extracted)) {
    if (options.length > 0 && !letters.includes(extracted)) {
      return { reason: `answer "${extracted}" is not one of the options ${letters.join(', ')}` };
    }
    return { letter: extracted };
  }
  const byText = options.findIndex((option) => option === extracted);
  if (byText !== -1 && letters[byText]) return { letter: letters[byText] as string };
  return { reason: `answer "${extracted.slice(0, 40)}" is not an option letter${letters.length ? ` (${letters.join(', ')})` : ''}` };
}

/** Why a list of options is not a set of lettered options ("A. …"), or null. */
export function checkOptions(options: readonly string[]): string | null {
  return optionList(options).problem;
}

function optionsProblem(options: readonly string[], letters: ReadonlyArray<string | null>): string | null {
  const seen = new Set<string>();
  for (const [index, option] of options.entries()) {
    const letter = letters[index] ?? null;
    if (letter === null) return `option "${option.slice(0, 40)}" does not start with a letter such as "A. "`;
    // The letter matched /^\s*[A-Za-z]\s*[.)]/, so the text starts after the first "." or ")".
    if (isBlank(option.slice(option.search(/[.)]/) + 1))) return `option ${letter} has no text after "${letter}."`;
    if (seen.has(letter)) return `option letter ${letter} appears twice`;
    seen.add(letter);
  }
  return null;
}

/** Empty or only whitespace once any <video> tokens are taken out: no question a model can be asked. */
export function isBlank(text: string): boolean {
  return text.replaceAll('<video>', '').trim() === '';
}

function primitiveOf(problemId: string | null, question: string): Primitive | null {
  return (problemId === null ? null : primitiveFromProblemId(problemId)) ?? primitiveFromQuestion(question);
}

function normalizeQuestionRecord(
  problemId: string | null,
  problem: string,
  options: string[],
  problemType: string,
  answer: string,
  clipRef: string,
  chain: string | null,
): NormalizeResult {
  if (isBlank(problem)) return fail('problem', 'the question is empty or only whitespace');
  const optionProblem = checkOptions(options);
  if (optionProblem) return fail('options', optionProblem);
  const letter = answerLetter(answer, options);
  if ('reason' in letter) return fail('answer', letter.reason);
  const question = problem.trim();
  return {
    ok: true,
    record: {
      sample: {
        key: sampleKey(clipRef, question),
        clipRef,
        question,
        options,
        problemType,
        answer: letter.letter,
        primitive: primitiveOf(problemId, question),
        problemId,
        chain,
      },
      prediction: null,
    },
  };
}

/** One record of a single-question format (common/formats/benchmarks.ts normalizeItems reads every format). */
export function normalizeRecord(format: SingleFormatName, value: unknown): NormalizeResult {
  switch (format) {
    case 'sft':
      return normalizeSft(value);
    case 'rl':
      return normalizeRl(value);
    case 'eval':
      return normalizeEval(value);
    case 'results':
      return normalizeResult(value);
    case 'camerabench':
      return normalizeCameraBench(value);
    case 'camerabench-scores':
      return normalizeScore(value);
  }
}

function normalizeSft(value: unknown): NormalizeResult {
  const parsed = parseWith(sftRecord, value);
  if (!parsed.ok) return parsed;
  const { messages, videos = [] } = parsed.data;
  const userIndex = messages.findIndex((message) => message.role === 'user');
  const assistantIndex = messages.findIndex((message, index) => message.role === 'assistant' && index > userIndex);
  if (userIndex === -1) return fail('messages', 'has no user message');
  if (assistantIndex === -1) return fail('messages', 'has no assistant message after the user message');
  const user = messages[userIndex]?.content ?? '';
  const tokens = messages.reduce((count, message) => count + (message.content.match(/<video>/g)?.length ?? 0), 0);
  // LLaMA-Factory's mm_plugin refuses records whose <video> tokens and videos differ in number.
  if (tokens !== videos.length) {
    return fail('videos', `${videos.length} video(s) but ${tokens} <video> token(s) in the messages`);
  }
  const { problem, options } = parsePrompt(user);
  if (isBlank(problem)) return fail(`messages.${userIndex}.content`, 'the question is empty or only whitespace');
  const optionProblem = checkOptions(options);
  if (optionProblem) return fail(`messages.${userIndex}.content`, optionProblem);
  const chain = messages[assistantIndex]?.content ?? '';
  const tagged = extractAnswerTag(chain);
  let answer: string | null = null;
  if (tagged !== null && tagged !== '') {
    const letter = answerLetter(tagged, options);
    if ('reason' in letter) return fail(`messages.${assistantIndex}.content`, letter.reason);
    answer = letter.letter;
  }
  const clipRef = videos[0] ?? null;
  return {
    ok: true,
    record: {
      sample: {
        key: sampleKey(clipRef, problem),
        clipRef,
        question: problem,
        options,
        problemType: 'multiple choice',
        answer,
        primitive: primitiveFromQuestion(problem),
        problemId: null,
        chain,
      },
      prediction: null,
    },
  };
}

function idText(id: string | number | undefined): string | null {
  return id === undefined ? null : String(id);
}

function normalizeRl(value: unknown): NormalizeResult {
  const parsed = parseWith(rlRecord, value);
  if (!parsed.ok) return parsed;
  const record = parsed.data;
  // EasyR1 records may carry the options inside the problem text instead of an options list.
  const fromPrompt = record.options ? { problem: record.problem, options: record.options } : parsePrompt(record.problem);
  return normalizeQuestionRecord(
    idText(record.problem_id),
    fromPrompt.problem,
    fromPrompt.options,
    record.problem_type ?? 'multiple choice',
    record.answer,
    record.videos[0] as string,
    null,
  );
}

function normalizeEval(value: unknown): NormalizeResult {
  const parsed = parseWith(evalRecord, value);
  if (!parsed.ok) return parsed;
  const record = parsed.data;
  const chain = record.process !== undefined && record.process.trim() !== '' ? record.process : null;
  const result = normalizeQuestionRecord(
    idText(record.problem_id),
    record.problem,
    record.options,
    record.problem_type,
    record.solution,
    record.path,
    chain,
  );
  if (!result.ok && result.field === 'answer') return { ...result, field: 'solution' };
  return result;
}

function normalizeResult(value: unknown): NormalizeResult {
  const parsed = parseWith(resultRecord, value);
  if (!parsed.ok) return parsed;
  const base = normalizeEval(value);
  if (!base.ok) return base;
  const output = typeof parsed.data.output === 'string' ? parsed.data.output : null;
  base.record.prediction = {
    output,
    prediction: parsed.data.prediction,
    accuracy: parsed.data.accuracy,
    score: null,
    error: null,
    method: null,
  };
  return base;
}

function normalizeCameraBench(value: unknown): NormalizeResult {
  const parsed = parseWith(cameraBenchRecord, value);
  if (!parsed.ok) return parsed;
  const record = parsed.data;
  if (isBlank(record.question)) return fail('question', 'the question is empty or only whitespace');
  const question = record.question.trim();
  const primitive =
    (record.task ? primitiveFromTask(record.task) : null) ??
    (record.label_name ? primitiveFromLabelName(record.label_name) : null) ??
    primitiveFromQuestion(question);
  return {
    ok: true,
    record: {
      sample: {
        key: sampleKey(record.image, question),
        clipRef: record.image,
        question,
        options: [...BINARY_OPTIONS],
        problemType: 'multiple choice',
        answer: record.label === 'Yes' ? 'B' : 'A',
        primitive,
        problemId: null,
        chain: null,
      },
      prediction: null,
    },
  };
}

function normalizeScore(value: unknown): NormalizeResult {
  const parsed = parseWith(cameraBenchScore, value);
  if (!parsed.ok) return parsed;
  const record = parsed.data;
  const label = record.ground_truth_label.toLowerCase();
  if (label !== 'yes' && label !== 'no') return fail('ground_truth_label', 'must be "Yes" or "No"');
  if (isBlank(record.question)) return fail('question', 'the question is empty or only whitespace');
  const question = record.question.trim();
  return {
    ok: true,
    record: {
      sample: {
        key: sampleKey(record.video_path, question),
        clipRef: record.video_path,
        question,
        options: [...BINARY_OPTIONS],
        problemType: 'multiple choice',
        answer: label === 'yes' ? 'B' : 'A',
        primitive: primitiveFromQuestion(question),
        problemId: idText(record.sample_id),
        chain: null,
      },
      prediction: {
        output: null,
        prediction: null,
        accuracy: null,
        score: record.score,
        error: record.error,
        method: record.method ?? null,
      },
    },
  };
}
