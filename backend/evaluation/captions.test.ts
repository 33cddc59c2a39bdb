// CameraBench captioning through the whole report: the shipped caption_data.json imported as
// benchmark items, a run answering the first 200 with the captions of the oracle file "real-200"
// (tests/reference/captionOracle.py ran CameraBench's own caption_evaluation.py over them), and
// gen_match asked of a judge behind the FAKE OpenAI-compatible server, replies planned as the
// oracle's judge cases.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { genMatchPrompt } from '../../common/metrics/captions';
import { numpyMean } from '../../common/metrics/numpySummation';
import { createProject, type WritableDB } from '../../db/connection';
import { runItemsOfBenchmark } from '../../db/evaluation';
import { getRun } from '../../db/runs';
import { startFakeOpenAIServer, tokenize, type FakeOpenAIServer, type FakeReply } from '../../tests/fakes/openaiServer';
import { addRun, cellOf, itemSampleIds, tableOf } from '../../tests/support/evalRuns';
import { tempDir, track } from '../../tests/support/tempDir';
import { importFiles } from '../formats/importFiles';
import { captionReport } from './captions';
import { openAIJudge } from './judge';
import { evaluateRun } from './report';

const CAPTIONS = join(__dirname, '..', '..', '..', 'shared', 'data', 'camerabench', 'caption_data.json');
const REFERENCE = join(__dirname, '..', '..', 'tests', 'reference');

interface OracleReply { choices: Array<{ message: { content: string }; logprobs?: { content: Array<{ token: string; logprob: number; top_logprobs: Array<{ token: string; logprob: number }> }> } }> }
const CASES = JSON.parse(readFileSync(join(REFERENCE, 'caption-cases.json'), 'utf8')) as {
  files: Array<{ name: string; data: { captions: Array<{ reference_answer: string; generated_caption: string; error: string | null }> } }>;
  judge: Array<{ name: string; reference: string; candidate: string; replies: Array<OracleReply | 'raise'> }>;
};
const EXPECTED = JSON.parse(readFileSync(join(REFERENCE, 'caption-expected.json'), 'utf8')) as {
  files: Array<{ name: string; result: Record<string, number | null> | null }>;
  judge: Array<{ name: string; score: number; calls: number }>;
};

function project(): { db: WritableDB; folder: string; path: string } {
  const folder = tempDir();
  const path = join(folder, 'p.frustum');
  return { db: track(createProject(path)), folder, path };
}

let server: FakeOpenAIServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('CameraBench captioning, scored end to end', () => {
  it.runIf(existsSync(CAPTIONS))("the oracle's real-200 file: every metric as caption_evaluation.py computed it, gen_match not computed", async () => {
    const { db, path } = project();
    importFiles(db, [CAPTIONS]);
    const real = CASES.files.find((file) => file.name === 'real-200');
    const want = EXPECTED.files.find((file) => file.name === 'real-200')?.result;
    if (real === undefined || want == null) throw new Error('no real-200 case');
    // Its references are caption_data.json's first 200, in order.
    const samples = itemSampleIds(db, 'camerabench-caption').slice(0, 200);
    const runId = addRun(db, 'Qwen/Qwen2.5-VL-7B-Instruct', real.data.captions.map((caption, index) => (
      caption.error ? { sampleId: samples[index] as number, error: caption.error } : { sampleId: samples[index] as number, output: caption.generated_caption }
    )));
    const run = getRun(db, runId);
    if (run === undefined) throw new Error('no run');
    const { reports } = await evaluateRun(db, path, run);
    expect(reports.map((report) => report.benchmark)).toEqual(['camerabench-caption']);
    const [report] = reports;
    expect(report).toMatchObject({ items: 200, answered: 195, scoreSource: 'not-applicable' });
    const table = tableOf(report, 'camerabench-caption/metrics');
    const label = 'Run 1 (Qwen/Qwen2.5-VL-7B-Instruct)';
    expect(cellOf(table, label, 'samples')?.value).toBe(want['total_samples']);
    expect(cellOf(table, label, 'valid')?.value).toBe(want['valid_samples']);
    for (const key of ['spice', 'cider', 'rouge_l', 'meteor']) expect(cellOf(table, label, key)?.value, key).toBe(want[key]);
    // BLEU-2 passes through exp/log, where the C library and V8 may differ in the last bit.
    expect(cellOf(table, label, 'bleu2')?.value).toBeCloseTo(want['bleu2'] as number, 12);
    expect(cellOf(table, label, 'gen_match')).toBeNull();
    expect(report?.notes[0]).toMatch(/^gen_match: not computed/);
    expect(cellOf(table, label, 'spice')?.link).toEqual({ runId, benchmark: 'camerabench-caption' });
    db.close();
  });

  it("gen_match from a judge, each reply read as the script reads it (the oracle's judge cases)", async () => {
    const names = ['yes', 'yes-spaced-upper', 'no', 'not-sure-reads-as-no', 'nope', 'yes-in-top-logprobs', 'no-yes-in-top-logprobs', 'raise-then-no', 'all-raise', 'quotes-in-captions'];
    const cases = names.map((name) => {
      const found = CASES.judge.find((entry) => entry.name === name);
      if (found === undefined) throw new Error(`no judge case ${name}`);
      return found;
    });
    const { db, folder } = project();
    const file = join(folder, 'caption_data.json');
    writeFileSync(file, JSON.stringify(cases.map((entry) => ({ video: `${entry.name}.mp4`, question: 'Describe the camera movement in this video.', answer: entry.reference }))));
    importFiles(db, [file]);
    const samples = itemSampleIds(db, 'camerabench-caption');
    const runId = addRun(db, 'captioner', cases.map((entry, index) => ({ sampleId: samples[index] as number, output: entry.candidate })));

    // Asked one at a time, so the planned replies (and failures: HTTP 400, which the client does not retry) come in order.
    const replies: FakeReply[] = [];
    const failures = cases.flatMap((entry) => entry.replies.map((reply) => {
      if (reply === 'raise') return { kind: 'status' as const, status: 400, message: 'planned failure' };
      const choice = reply.choices[0];
      const first = choice?.logprobs?.content[0];
      const text = choice?.message.content ?? '';
      replies.push(first === undefined
        ? { text }
        : { tokens: [{ token: first.token, logprob: first.logprob, topLogprobs: first.top_logprobs }, ...tokenize(text.slice(first.token.length)).map((token) => ({ token }))] });
      return null;
    }));
    server = await startFakeOpenAIServer({ model: 'judge-model', failures, reply: () => replies.shift() ?? 'No' });
    const judge = openAIJudge({ endpoint: server.baseUrl, model: 'judge-model', concurrency: 1 });
    const report = await captionReport({ id: runId, model: 'captioner' }, runItemsOfBenchmark(db, runId, 'camerabench-caption'), judge, async () => undefined);
    const scores = cases.map((entry) => EXPECTED.judge.find((expected) => expected.name === entry.name)?.score as number);
    const table = tableOf(report, 'camerabench-caption/metrics');
    expect(cellOf(table, `Run ${runId} (captioner)`, 'gen_match')?.value).toBeCloseTo(numpyMean(scores), 15);
    expect(report.notes[0]).toMatch(/^gen_match: judge-model at http/);
    const calls = cases.reduce((sum, entry) => sum + (EXPECTED.judge.find((expected) => expected.name === entry.name)?.calls ?? 0), 0);
    const requests = server.requests.filter((request) => request.path === '/v1/chat/completions');
    expect(requests).toHaveLength(calls);
    // The script's request: its prompt, temperature 0, 5 tokens, the top 5 log-probs.
    expect(requests[0]?.body).toMatchObject({
      model: 'judge-model', temperature: 0, max_tokens: 5, logprobs: true, top_logprobs: 5,
      messages: [{ role: 'user', content: genMatchPrompt(cases[0]?.reference ?? '', cases[0]?.candidate ?? '') }],
    });
    db.close();
  });
});
