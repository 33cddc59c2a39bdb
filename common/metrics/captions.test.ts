// Checks the caption metrics against CameraBench's own scripts: tests/reference/captionOracle.py
// ran camerabench/caption_evaluation.py and caption_generation.py (t2v_metrics 6ecb74f, NLTK 3.8)
// over tests/reference/caption-cases.json and wrote tests/reference/caption-expected.json.
// Values that pass through exp/log (BLEU-2, the judge's P(yes)) may differ from the C library's
// by an ulp and are held to 1e-12; every other value must be the same double.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bleu2Score,
  captionEvaluationFileName,
  captionEvaluationText,
  captionResultsFile,
  captionResultsFileName,
  captionResultsText,
  ciderScore,
  evaluateCaptionFile,
  genMatchPrompt,
  isValidCaptionRow,
  judgeGenMatch,
  meteorScore,
  preprocessText,
  pythonFileStamp,
  pythonIsoformat,
  rougeLScore,
  rougeTokens,
  spiceScore,
  validCaptionRows,
  type CaptionFileEvaluation,
  type CaptionGenerationSample,
  type CaptionResultsInput,
  type GenMatchRequest,
} from './captions';

const BLEU_TOLERANCE = 1e-12;

interface PairCase { name: string; reference: string; candidate: string }
type PlannedReply = 'raise' | Record<string, unknown>;
interface FileCase { name: string; data: CaptionResultsInput; judge: PlannedReply[][] | null }
interface JudgeCase { name: string; reference: string; candidate: string; replies: PlannedReply[] }
interface GenerationCase {
  name: string;
  model: string;
  checkpoint: string | null;
  video_dir: string;
  now: [number, number, number, number, number, number, number];
  records: { video: string; question: string; answer: string }[];
  outputs: ({ caption: string } | { raise: string })[];
}
interface Cases { pairs: PairCase[]; stem_words: string[]; files: FileCase[]; judge: JudgeCase[]; generation: GenerationCase[] }

interface Expected {
  nltk: string;
  pairs: { name: string; tokens: [string, string]; rouge_tokens: [string, string]; spice: number; cider: number; bleu2: number; rouge_l: number; meteor: number }[];
  stems: Record<string, string>;
  judge: { name: string; score: number; calls: number; request: GenMatchRequest | null }[];
  files: { name: string; file_path: string; result: CaptionFileEvaluation | null; result_with_judge: CaptionFileEvaluation | null }[];
  evaluation_output: string;
  generation: { name: string; file_name: string; text: string }[];
}

const referenceFolder = join(import.meta.dirname, '../../tests/reference');
const cases = JSON.parse(readFileSync(join(referenceFolder, 'caption-cases.json'), 'utf8')) as Cases;
const expected = JSON.parse(readFileSync(join(referenceFolder, 'caption-expected.json'), 'utf8')) as Expected;

function byName<T extends { name: string }>(items: readonly T[], name: string): T {
  const item = items.find((candidate) => candidate.name === name);
  if (item === undefined) throw new Error(`no expected entry named ${name}`);
  return item;
}

/** A `complete` that answers with the planned replies in order, as the oracle's openai stand-in did. */
function plannedJudge(replies: readonly PlannedReply[]): { complete: (request: GenMatchRequest) => Promise<unknown>; requests: GenMatchRequest[]; waits: number[] } {
  const queue = [...replies];
  const requests: GenMatchRequest[] = [];
  const waits: number[] = [];
  return {
    requests,
    waits,
    complete: (request) => {
      requests.push(request);
      const reply = queue.shift();
      if (reply === undefined) return Promise.reject(new Error('asked more often than planned'));
      return reply === 'raise' ? Promise.reject(new Error('planned failure of this call')) : Promise.resolve(reply);
    },
  };
}

function expectSameEvaluation(actual: CaptionFileEvaluation | null, reference: CaptionFileEvaluation | null): void {
  if (reference === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  const { bleu2, gen_match: genMatch, ...exact } = reference;
  expect(actual).toMatchObject(exact);
  expect(actual?.bleu2).toBeCloseTo(bleu2, 12);
  if (genMatch === null) expect(actual?.gen_match).toBeNull();
  else expect(Math.abs((actual?.gen_match ?? Number.NaN) - genMatch)).toBeLessThanOrEqual(BLEU_TOLERANCE);
}

describe('caption metrics against caption_evaluation.py', () => {
  it.each(cases.pairs.map((pair) => [pair.name, pair] as const))('%s', (name, { reference, candidate }) => {
    const want = byName(expected.pairs, name);
    expect([preprocessText(reference).join(' '), preprocessText(candidate).join(' ')]).toEqual(want.tokens);
    expect([rougeTokens(reference).join(' '), rougeTokens(candidate).join(' ')]).toEqual(want.rouge_tokens);
    expect(spiceScore(reference, candidate)).toBe(want.spice);
    expect(ciderScore(reference, candidate)).toBe(want.cider);
    expect(rougeLScore(reference, candidate)).toBe(want.rouge_l);
    expect(meteorScore(reference, candidate)).toBe(want.meteor);
    expect(Math.abs(bleu2Score(reference, candidate) - want.bleu2)).toBeLessThanOrEqual(BLEU_TOLERANCE);
  });

  it('gets most BLEU-2 values to the last bit, the rest within an ulp or two', () => {
    const differences = cases.pairs.map((pair) => Math.abs(bleu2Score(pair.reference, pair.candidate) - byName(expected.pairs, pair.name).bleu2));
    expect(differences.filter((difference) => difference === 0).length).toBeGreaterThanOrEqual(cases.pairs.length - 5);
    expect(Math.max(...differences)).toBeLessThan(1e-15);
  });
});

describe('the GPT-4o judge (calculate_generative_match)', () => {
  it.each(cases.judge.map((judgeCase) => [judgeCase.name, judgeCase] as const))('%s', async (name, judgeCase) => {
    const want = byName(expected.judge, name);
    const judge = plannedJudge(judgeCase.replies);
    const score = await judgeGenMatch(judgeCase.reference, judgeCase.candidate, judge.complete, (seconds) => {
      judge.waits.push(seconds);
      return Promise.resolve();
    });
    expect(Math.abs(score - want.score)).toBeLessThanOrEqual(BLEU_TOLERANCE);
    expect(judge.requests).toHaveLength(want.calls);
    // The script sleeps after every failed attempt but the last: one wait fewer than calls.
    expect(judge.waits).toEqual(Array.from({ length: Math.max(0, want.calls - 1) }, () => 2));
    if (want.request !== null) expect(judge.requests[0]).toEqual(want.request);
  });

  it('builds the prompt word for word', () => {
    expect(genMatchPrompt("It's", 'a "pan"')).toBe(
      "Reference caption: 'It's'\nCandidate caption: 'a \"pan\"'\n\nDoes the candidate caption match the reference caption? Answer Yes or No.",
    );
  });
});

async function judgeScores(fileCase: FileCase): Promise<number[]> {
  const judge = plannedJudge((fileCase.judge ?? []).flat());
  const scores: number[] = [];
  for (const row of validCaptionRows(fileCase.data)) {
    scores.push(await judgeGenMatch(row.reference_answer ?? '', row.generated_caption ?? '', judge.complete, () => Promise.resolve()));
  }
  return scores;
}

describe('evaluate_caption_file', () => {
  it.each(cases.files.map((fileCase) => [fileCase.name, fileCase] as const))('%s', async (name, fileCase) => {
    const want = byName(expected.files, name);
    expectSameEvaluation(evaluateCaptionFile(fileCase.data, want.file_path), want.result);
    if (fileCase.judge !== null) {
      expectSameEvaluation(evaluateCaptionFile(fileCase.data, want.file_path, await judgeScores(fileCase)), want.result_with_judge);
    }
  });

  it("writes main()'s output file byte for byte", () => {
    const timestamp = (JSON.parse(expected.evaluation_output) as { evaluation_timestamp: string }).evaluation_timestamp;
    // BLEU-2's mean may differ from Python's in the last bit (exp/log, held to 1e-12 above), so
    // the writer is given Python's; every other number is this module's own.
    const results = cases.files
      .map((fileCase) => {
        const want = byName(expected.files, fileCase.name);
        const result = evaluateCaptionFile(fileCase.data, want.file_path);
        return result === null || want.result === null ? null : { ...result, bleu2: want.result.bleu2 };
      })
      .filter((result): result is CaptionFileEvaluation => result !== null);
    const text = captionEvaluationText({ evaluationTimestamp: timestamp, evaluatedFiles: cases.files.length, isJudgeEnabled: false, results });
    expect(text).toBe(expected.evaluation_output);
    expect(captionEvaluationFileName(results.length, '20250102_030405')).toBe('caption_evaluation_5models_20250102_030405.json');
  });

  it('scores only rows without a (Python-truthy) error and with both captions', () => {
    expect(isValidCaptionRow({ reference_answer: 'a', generated_caption: 'b', error: null })).toBe(true);
    expect(isValidCaptionRow({ reference_answer: 'a', generated_caption: 'b', error: '' })).toBe(true);
    expect(isValidCaptionRow({ reference_answer: 'a', generated_caption: 'b', error: {} })).toBe(true);
    expect(isValidCaptionRow({ reference_answer: 'a', generated_caption: '   ', error: null })).toBe(true);
    expect(isValidCaptionRow({ reference_answer: 'a', generated_caption: 'b', error: 'timeout' })).toBe(false);
    expect(isValidCaptionRow({ reference_answer: 'a', generated_caption: '', error: null })).toBe(false);
    expect(isValidCaptionRow({ reference_answer: null, generated_caption: 'b' })).toBe(false);
    expect(isValidCaptionRow({ generated_caption: 'b' })).toBe(false);
  });

  it('refuses judge scores that do not line up with the valid rows', () => {
    const file: CaptionResultsInput = { captions: [{ reference_answer: 'a b', generated_caption: 'a b', error: null }] };
    expect(() => evaluateCaptionFile(file, 'f.json', [1, 0])).toThrow(/2 judge scores for 1 valid/);
  });
});

describe('caption_results_*.json as caption_generation.py writes it', () => {
  it.each(cases.generation.map((generationCase) => [generationCase.name, generationCase] as const))('%s', (name, generationCase) => {
    const want = byName(expected.generation, name);
    const [year, month, day, hour, minute, second, microsecond] = generationCase.now;
    const now = new Date(year, month - 1, day, hour, minute, second, microsecond / 1000);
    const samples: CaptionGenerationSample[] = generationCase.records.map((record, index) => {
      const output = generationCase.outputs[index];
      if (output === undefined) throw new Error(`no planned output for record ${index}`);
      return { ...record, outcome: 'raise' in output ? { error: output.raise } : { caption: output.caption } };
    });
    const file = captionResultsFile(samples, {
      modelName: generationCase.model,
      checkpoint: generationCase.checkpoint,
      videoDir: generationCase.video_dir,
      generationTimestamp: pythonIsoformat(now),
    });
    expect(captionResultsText(file)).toBe(want.text);
    expect(captionResultsFileName(generationCase.model, generationCase.checkpoint, pythonFileStamp(now))).toBe(want.file_name);
  });
});
