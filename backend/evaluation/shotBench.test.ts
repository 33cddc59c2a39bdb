// ShotBench and RefineShot through the whole report, on the shipped question sets: runs whose
// answers are the synthetic predictions tests/reference/shotBenchOracle.py graded with ShotBench's
// and RefineShot's own scripts, with and without a judge behind the FAKE OpenAI-compatible server
// (its replies planned as the oracle's). Where ShotBench draws a random letter, the report counts
// the row wrong ("Z").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../common/api/contract';
import { parseRefineShotAdherenceReply, parseShotBenchOptions, refineShotConsistencyPrompt, shotBenchJudgePrompt } from '../../common/metrics/shotBench';
import { createProject, type WritableDB } from '../../db/connection';
import { runItemsOfBenchmark } from '../../db/evaluation';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../tests/fakes/openaiServer';
import { addRun, cellOf, itemSampleIds, tableOf, type PlannedAnswer } from '../../tests/support/evalRuns';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { openAIJudge } from './judge';
import { shotBenchReport } from './shotBench';

const DATA = join(__dirname, '..', '..', '..', 'shared', 'data', 'shotbench');
const CAMERA = join(DATA, 'shotbench_camera_movement_464.jsonl');
const REFINED = join(DATA, 'refineshot_test_refined_3572.jsonl');

interface Question { index: number; question: string; options: string; answer: string; category: string }
type JudgePlan = { thinking?: string; content: string } | 'raise' | null;
const ORACLE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'tests', 'reference', 'shotbench-expected.json'), 'utf8')) as {
  matching: Array<{ i: number; prediction: string; judge: string[]; letter: string; judge_calls: number }>;
  refineshot_questions: number[];
  refineshot: Array<{ i: number; prediction: string | null; consistency_reply: JudgePlan; adherence_reply: JudgePlan; letter: string; hit: 0 | 1; consistency: boolean }>;
};

function readJsonl(path: string): Question[] {
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Question);
}

function project(): { db: WritableDB; folder: string } {
  const folder = tempDir();
  return { db: track(createProject(join(folder, 'p.frustum'))), folder };
}

let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** The first synthetic prediction the oracle graded for each of the 464 questions. */
function firstPredictions() {
  const seen = new Set<number>();
  return ORACLE.matching.filter((entry) => !seen.has(entry.i) && seen.add(entry.i));
}

describe.runIf(existsSync(CAMERA) && existsSync(REFINED))('ShotBench and RefineShot, scored end to end', () => {
  it("ShotBench without a judge: the scripts' rules, unmatched answers \"Z\"; with one: the judge's letter, never a random one", async () => {
    const { db } = project();
    importFiles(db, [CAMERA]);
    const questions = readJsonl(CAMERA);
    const samples = itemSampleIds(db, 'shotbench');
    expect(samples).toHaveLength(464);
    const entries = firstPredictions();
    const runId = addRun(db, 'planned-shot', entries.map((entry): PlannedAnswer => ({ sampleId: samples[entry.i] as number, output: entry.prediction })));
    const items = runItemsOfBenchmark(db, runId, 'shotbench');
    const answerOf = (entry: (typeof entries)[number]) => questions[entry.i]?.answer;

    // The rules alone: the oracle's letter where no judge was asked, else "Z".
    const byRules = entries.filter((entry) => entry.judge_calls === 0 && entry.letter === answerOf(entry)).length;
    const plain = await shotBenchReport({ id: runId, model: 'planned-shot' }, 'shotbench', items, null);
    const dimensions = tableOf(plain, 'shotbench/dimensions');
    expect(cellOf(dimensions, 'Run 1 (planned-shot): accuracy', 'camera movement')).toMatchObject({
      value: byRules / 464, n: 464, link: { runId, benchmark: 'shotbench', split: 'camera movement' },
    });
    // One dimension: its Avg (macro over the dimensions present) and Overall (micro) agree.
    expect(cellOf(dimensions, 'Run 1 (planned-shot): accuracy', 'avg')?.value).toBe(byRules / 464);
    expect(cellOf(dimensions, 'Run 1 (planned-shot): accuracy', 'overall')?.value).toBe(byRules / 464);
    expect(dimensions.notes.join('\n')).toMatch(/1 of the 8 dimensions/);
    const published = dimensions.rows.filter((row) => row.kind === 'published');
    expect(published.map((row) => row.label)).toContain('ShotVL-7B (ShotBench README)');
    expect(cellOf(dimensions, 'ShotVL-7B (ShotBench README)', 'camera movement')?.display).toBe('62.9');
    expect(cellOf(dimensions, 'ShotVL-7B (ShotBench README)', 'avg')?.display).toBe('70.1');
    expect(cellOf(dimensions, 'ShotVL-7B (ShotBench README)', 'overall')).toBeNull();
    expect(tableOf(plain, 'shotbench/categories').rows.map((row) => row.label)).toEqual(['camera movement', 'Overall']);

    // With a judge answering as the oracle planned: its replies, asked again while one names no option.
    const planned = new Map(entries.map((entry) => {
      const question = questions[entry.i] as Question;
      return [shotBenchJudgePrompt(question.question, parseShotBenchOptions(question.options), entry.prediction), entry.judge] as const;
    }));
    const asked = new Map<string, number>();
    server = await startFakeOpenAIServer({
      model: 'gpt-4o-2024-08-06',
      reply: (body) => {
        const prompt = body['messages'][0].content as string;
        const count = asked.get(prompt) ?? 0;
        asked.set(prompt, count + 1);
        return planned.get(prompt)?.[count] ?? 'Z';
      },
    });
    const judge = openAIJudge({ endpoint: server.baseUrl, model: 'gpt-4o-2024-08-06' });
    const judged = await shotBenchReport({ id: runId, model: 'planned-shot' }, 'shotbench', items, judge);
    const withJudge = entries.filter((entry) => entry.letter !== '<random>' && entry.letter === answerOf(entry)).length;
    expect(cellOf(tableOf(judged, 'shotbench/dimensions'), 'Run 1 (planned-shot): accuracy', 'camera movement')?.value).toBe(withJudge / 464);
    const calls = entries.reduce((sum, entry) => sum + entry.judge_calls, 0);
    expect(server.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(calls);
    expect(judged.notes[0]).toMatch(new RegExp(`${entries.filter((entry) => entry.judge_calls > 0 && entry.letter !== '<random>').length} judge`));
    expect(entries.some((entry) => entry.letter === '<random>')).toBe(true);
    db.close();
  });

  it("RefineShot: the consistency check by the judge (RefineShot's prompt and reading), else by rule, labelled", async () => {
    const { db } = project();
    importFiles(db, [REFINED]);
    const refined = readJsonl(REFINED);
    const samples = itemSampleIds(db, 'refineshot');
    const sampleOfIndex = new Map(refined.map((row, position) => [row.index, samples[position] as number]));
    // The oracle's letters include RefineShot's adherence check, which Frustum does not run: the
    // cases it passed or did not ask are the ones whose letter is the consistency check's alone.
    const replyText = (plan: JudgePlan): string | null => (plan === null || plan === 'raise' ? null : plan.thinking === undefined ? plan.content : `${plan.thinking}</think>${plan.content}`);
    const cases = ORACLE.refineshot.filter((entry) => entry.adherence_reply === null || parseRefineShotAdherenceReply(replyText(entry.adherence_reply)));
    expect(cases.length).toBeGreaterThan(15);
    const runId = addRun(db, 'planned-refine', cases.map((entry): PlannedAnswer => {
      const sampleId = sampleOfIndex.get(ORACLE.refineshot_questions[entry.i] as number) as number;
      return entry.prediction === null ? { sampleId, error: 'no answer' } : { sampleId, output: entry.prediction };
    }));
    const items = runItemsOfBenchmark(db, runId, 'refineshot');
    // Items come in the file's order; the judge is asked one at a time in that order.
    const ordered = [...cases].sort((left, right) => refined.findIndex((row) => row.index === ORACLE.refineshot_questions[left.i]) - refined.findIndex((row) => row.index === ORACLE.refineshot_questions[right.i]));
    const replies: string[] = [];
    const failures = ordered.map((entry) => {
      const text = replyText(entry.consistency_reply);
      if (text === null) return { kind: 'status' as const, status: 400, message: 'planned failure' };
      replies.push(text);
      return null;
    });
    server = await startFakeOpenAIServer({ model: 'Qwen3-4B', failures, reply: () => replies.shift() ?? '' });
    const report: EvalReport = await shotBenchReport({ id: runId, model: 'planned-refine' }, 'refineshot', items, openAIJudge({ endpoint: server.baseUrl, model: 'Qwen3-4B', concurrency: 1 }));
    const sheet = tableOf(report, 'refineshot/categories');
    for (const category of ['camera movement', 'shot framing']) {
      // The oracle's first 20 questions are camera movement, the next 20 shot framing.
      const own = cases.filter((entry) => (entry.i < 20) === (category === 'camera movement'));
      expect(cellOf(sheet, category, 'total')?.value).toBe(own.length);
      expect(cellOf(sheet, category, 'correct')?.value, category).toBe(own.reduce((sum, entry) => sum + entry.hit, 0));
      expect(cellOf(sheet, category, 'consistent')?.value, category).toBe(own.filter((entry) => entry.consistency).length);
    }
    // The judge got RefineShot's prompt, about "Z" where the prediction was empty (NaN).
    const first = ordered[0];
    const firstQuestion = refined.find((row) => row.index === ORACLE.refineshot_questions[first?.i ?? 0]) as Question;
    const sent = first?.prediction === null || first?.prediction?.toLowerCase() === 'nan' ? 'Z' : (first?.prediction ?? '');
    expect(server.requests[0]?.body?.['messages'][0].content).toBe(refineShotConsistencyPrompt(firstQuestion.question, parseShotBenchOptions(firstQuestion.options), sent));
    const dimensions = tableOf(report, 'refineshot/dimensions');
    expect(dimensions.rows.find((row) => row.label.endsWith('+ consistency check'))?.basis).toMatch(/judged by Qwen3-4B/);
    expect(dimensions.rows.filter((row) => row.kind === 'published').every((row) => row.label.includes('RefineShot README'))).toBe(true);

    const ruled = await shotBenchReport({ id: runId, model: 'planned-refine' }, 'refineshot', items, null);
    expect(tableOf(ruled, 'refineshot/dimensions').rows.find((row) => row.label.endsWith('+ consistency check'))?.basis).toMatch(/rule-based consistency check/);
    db.close();
  });
});
