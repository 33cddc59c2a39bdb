// A whole CameraBench run against the FAKE vLLM server (issue 12 item 5): `frustum infer` asks
// all 7,679 questions of camerabench_binary.json, in its own process, with real ffmpeg frame
// extraction from stand-in clips, and its wall time is set against the server's own pacing: the
// time one answer takes alone (measured here, T) times the rounds the run needs at its
// concurrency, ceil(questions / concurrency) × T, the wall time of a client that added nothing.
// The CLI's peak memory (VmHWM, polled from /proc) and the project file's size are read too, and
// every stored answer is checked against the one the fake server scripted for its question.
// For context: about 1/8 of the questions (whole clips) at concurrency 8, the same number of
// rounds, so the same ideal wall time; with --without-ffmpeg-too, all of them again at concurrency
// 64 with each clip sent whole (--parts video-file), no ffmpeg at all: the client's own cost.
// Prints JSON (bench/run.mjs prints the table); progress on stderr.
// Run: `npm run build && node dist/bench/inferenceRun.js [--without-ffmpeg-too]` (part of `npm run bench`).
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { camReasonerPrompt } from '../backend/inference/camReasonerRequest';
import { resolveFfmpeg } from '../backend/media/ffmpeg';
import { listClips, sampleIdsOfClips } from '../db/clips';
import { openProject } from '../db/connection';
import { predictionOfRunSample, runSampleRows } from '../db/inference';
import { startFakeOpenAIServer, tokenize, type FakeChatBody, type FakeReply, type FakeToken } from '../tests/fakes/openaiServer';

const root = resolve(import.meta.dirname, '..', '..');
const data = resolve(root, '..', 'shared', 'data', 'camreasoner');
const cli = join(root, 'bin', 'frustum.js');
const MODEL = 'CamReasoner-7B';
/** Tokens per answer: an O-T-A chain of the real outputs, cut into exactly this many SSE events. */
const TOKENS = 150;
/** The fake server's pause before each SSE event: 150 tokens ≈ 0.5 s an answer, 64 streams ≈ 21k events/s. */
const CHUNK_DELAY_MS = 3;
const CONCURRENCY = 64;
const BASELINE_CONCURRENCY = 8;
/** The target for wall time over the server's own pacing (README, Benchmarks). */
const TARGET_RATIO = 1.25;
/** `--without-ffmpeg-too`: a third run, every clip sent whole (no frame extraction), to tell the client's own cost from ffmpeg's. */
const isWithoutFfmpegToo = process.argv.includes('--without-ffmpeg-too');

interface Question {
  problem: string;
  options: string[];
  problem_type: string;
  solution: string;
  path: string;
}

const say = (line: string) => process.stderr.write(`inferenceRun: ${line}\n`);
const seconds = (from: number) => (performance.now() - from) / 1000;

/** FNV-1a: the fake server's answer to a prompt, so every question's scripted answer is known beforehand. */
function scriptedLetter(prompt: string, optionCount: number): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < prompt.length; index++) hash = Math.imul(hash ^ prompt.charCodeAt(index), 0x01000193) >>> 0;
  return String.fromCharCode(65 + (hash % optionCount));
}

/** The chain's text before its answer, cut into `count` tokens that join back to it exactly. */
function regroup(tokens: readonly string[], count: number): string[] {
  const groups: string[] = [];
  for (let group = 0; group < count; group++) {
    groups.push(tokens.slice(Math.floor((group * tokens.length) / count), Math.floor(((group + 1) * tokens.length) / count)).join(''));
  }
  return groups;
}

const questions = JSON.parse(readFileSync(join(data, 'camerabench_binary.json'), 'utf8')) as Question[];
const chains = (JSON.parse(readFileSync(join(data, 'eval_camerabench_OTA_outputs_138.json'), 'utf8')) as Array<{ output: string[] }>).map((record) => {
  const text = record.output[0] as string;
  return text.slice(0, text.lastIndexOf('<answer>'));
});
const answerTokens = (letter: string) => tokenize(`<answer>${letter}</answer>`);
const chainTokens = chains.map((chain) => regroup(tokenize(chain), TOKENS - answerTokens('A').length));
if (chainTokens.some((tokens) => tokens.some((token) => token === ''))) throw new Error(`a chain has fewer than ${TOKENS} tokens`);

/** The prompt text the CLI sends (the last part of the one user message). */
function promptOf(body: FakeChatBody): string {
  const content = body.messages?.[0]?.content as Array<{ type: string; text?: string }> | string;
  return typeof content === 'string' ? content : (content.findLast((part) => part.type === 'text')?.text ?? '');
}

// vLLM sends top_logprobs entries for every token (the CLI asks for 5): the chunks are that size.
const ALTERNATIVES = [' the', ' camera', ',', '.'];
const withAlternatives = (token: string, others: readonly string[]): FakeToken => ({
  token, logprob: -0.02, topLogprobs: [{ token, logprob: -0.02 }, ...others.map((other, rank) => ({ token: other, logprob: -4 - rank }))],
});

function reply(body: FakeChatBody, index: number): FakeReply {
  const letter = scriptedLetter(promptOf(body), 2);
  const answer = answerTokens(letter).map((token) => withAlternatives(token, token === letter ? [letter === 'A' ? 'B' : 'A', ...ALTERNATIVES.slice(1)] : ALTERNATIVES));
  return { tokens: [...(chainTokens[index % chainTokens.length] as string[]).map((token) => withAlternatives(token, ALTERNATIVES)), ...answer] };
}

// What the run must end with: each question's scripted answer scored against its reference.
const expectedCorrect = questions.filter((question) => {
  if (question.options.length !== 2) throw new Error('camerabench_binary.json: expected two options per question');
  return scriptedLetter(camReasonerPrompt({ problem: question.problem, options: question.options, problemType: question.problem_type }), 2) === question.solution.replace(/<\/?answer>/g, '').trim();
}).length;

const work = mkdtempSync(join(tmpdir(), 'frustum-inference-run-'));
const server = await startFakeOpenAIServer({ model: MODEL, chunkDelayMs: CHUNK_DELAY_MS, reply });
// The fake server keeps every request and event for tests to read; a 7,679-request run would hold
// hundreds of MB of them in this process.
const forget = setInterval(() => (server.requests.length = 0), 1000);

function frustum(args: string[]): string {
  return execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The project: the real questions, and a stand-in clip per clip they name, relinked. */
async function setUp(): Promise<{ project: string; clips: number; durations: number[] }> {
  const project = join(work, 'camerabench.frustum');
  frustum(['init', project]);
  frustum(['import', project, join(data, 'camerabench_binary.json')]);
  const names = [...new Set(questions.map((question) => question.path))].sort();
  // One ffmpeg process renders every clip: a long testsrc2 (different pictures all along) cut by
  // the segment muxer at keyframes, 2–5 s each at 4 fps, 64x48. Separate processes took ~65 ms a
  // clip on two cores, the segment muxer ~1.5 ms.
  const durations = names.map((_name, index) => 2 + (index % 4));
  const cuts: number[] = [];
  durations.reduce((end, duration) => (cuts.push(end + duration), end + duration), 0);
  const segments = join(work, 'segments');
  const folder = join(work, 'clips');
  mkdirSync(segments);
  const { ffmpeg } = await resolveFfmpeg();
  execFileSync(ffmpeg.path, [
    '-nostdin', '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=64x48:rate=4:duration=${cuts[cuts.length - 1]}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '4', '-sc_threshold', '0',
    '-f', 'segment', '-segment_times', cuts.slice(0, -1).join(','), '-reset_timestamps', '1', join(segments, '%05d.mp4'),
  ]);
  names.forEach((name, index) => {
    const target = join(folder, name);
    mkdirSync(resolve(target, '..'), { recursive: true });
    renameSync(join(segments, `${String(index).padStart(5, '0')}.mp4`), target);
  });
  const relinked = JSON.parse(frustum(['relink', project, folder, '--json'])) as { relinked: number; stillMissing: number };
  if (relinked.relinked !== names.length || relinked.stillMissing !== 0) throw new Error(`relink: ${JSON.stringify(relinked)}`);
  return { project, clips: names.length, durations };
}

/** One answer alone, as the CLI asks it (logprobs, top 5, usage): the server's own pacing. */
async function timeOneAnswer(): Promise<number> {
  const question = questions[0] as Question;
  const body = JSON.stringify({
    model: MODEL, temperature: 0, max_tokens: 8192, stream: true, stream_options: { include_usage: true }, logprobs: true, top_logprobs: 5,
    messages: [{ role: 'user', content: [{ type: 'text', text: camReasonerPrompt({ problem: question.problem, options: question.options, problemType: question.problem_type }) }] }],
  });
  const started = performance.now();
  const response = await fetch(`${server.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.text();
  return seconds(started);
}

interface Measured {
  concurrency: number;
  /** 'video-file': the clip's file sent whole, so no frames are extracted (the client's cost without ffmpeg). */
  parts: 'images' | 'video-file';
  questions: number;
  wallSeconds: number;
  /** The job's own seconds (from its first question to its last answer), as the CLI reports them. */
  jobSeconds: number;
  idealSeconds: number;
  peakRssMb: number;
  /** CPU time of this process (the fake server, mostly) during the run. */
  serverCpuSeconds: number;
  /** The CLI's own CPU time, and its ffmpeg/ffprobe processes' (as of the last poll). */
  cpuSeconds: number;
  childCpuSeconds: number;
  /** Median and 95th percentile of the answers' stored duration (request sent to last token): the streams' own pace under load. */
  streamSeconds: { median: number; p95: number };
  projectMb: number;
  answered: number;
  failed: number;
  accuracy: number;
  expectedAccuracy: number;
  /** Stored answers that are not the one scripted for their question. */
  misplaced: number;
}

/** `frustum infer` on a fresh copy of the project, its memory polled every 100 ms. */
async function inferRun(prepared: string, concurrency: number, sampleIds: number[] | null, answerSeconds: number, parts: Measured['parts'] = 'images'): Promise<Measured> {
  const project = join(work, `run-${concurrency}-${parts}.frustum`);
  copyFileSync(prepared, project);
  const filter = sampleIds === null ? [] : ['--filter', JSON.stringify({ media: ['ok'], sampleIds })];
  const count = sampleIds?.length ?? questions.length;
  const started = performance.now();
  const serverCpu = process.cpuUsage();
  const child = spawn(process.execPath, [cli, 'infer', project, '--endpoint', server.baseUrl, '--model', MODEL, '--concurrency', String(concurrency), '--parts', parts, ...filter, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderrTail = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString('utf8')).slice(-4000)));
  let peakKb = 0;
  let cpu = { own: 0, children: 0 };
  const ticks = 100; // USER_HZ on Linux
  const poll = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      cpu = { own: (Number(fields[11]) + Number(fields[12])) / ticks, children: (Number(fields[13]) + Number(fields[14])) / ticks };
    } catch {
      // The process has ended between two polls.
    }
  };
  const poller = setInterval(poll, 100);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearInterval(poller);
  const wallSeconds = seconds(started);
  const { user, system } = process.cpuUsage(serverCpu);
  if (code !== 0) throw new Error(`frustum infer exited ${code}: ${stderrTail}`);
  const result = JSON.parse(stdout) as { runId: number; answered: number; failed: number; accuracy: number; seconds: number };

  // Every stored answer against the letter scripted for its question's prompt.
  let misplaced = 0;
  let correct = 0;
  const streamDurations: number[] = [];
  const db = openProject(project, { readonly: true });
  try {
    for (let offset = 0; ; offset += 1000) {
      const { rows } = runSampleRows(db, result.runId, { offset, limit: 1000, onlyWrong: false });
      if (rows.length === 0) break;
      for (const row of rows) {
        const letter = scriptedLetter(camReasonerPrompt({ problem: row.question, options: JSON.parse(row.options) as string[] }), 2);
        if (row.prediction !== letter) misplaced += 1;
        if (letter === (row.answer ?? '').replace(/<\/?answer>/g, '').trim()) correct += 1;
        streamDurations.push((predictionOfRunSample(db, result.runId, row.sample_id)?.duration_ms ?? NaN) / 1000);
      }
    }
  } finally {
    db.close();
  }
  streamDurations.sort((a, b) => a - b);
  const quantile = (q: number) => streamDurations[Math.min(streamDurations.length - 1, Math.floor(q * streamDurations.length))] as number;
  const bytes = [project, `${project}-wal`].filter(existsSync).reduce((sum, file) => sum + statSync(file).size, 0);
  return {
    concurrency, parts, questions: count, wallSeconds, jobSeconds: result.seconds,
    idealSeconds: Math.ceil(count / concurrency) * answerSeconds,
    peakRssMb: peakKb / 1024, serverCpuSeconds: (user + system) / 1e6, cpuSeconds: cpu.own, childCpuSeconds: cpu.children,
    streamSeconds: { median: quantile(0.5), p95: quantile(0.95) }, projectMb: bytes / 1024 / 1024,
    answered: result.answered, failed: result.failed, accuracy: result.accuracy,
    expectedAccuracy: (sampleIds === null ? expectedCorrect : correct) / count, misplaced,
  };
}

try {
  const started = performance.now();
  const { project, clips, durations } = await setUp();
  const setupSeconds = seconds(started);
  say(`project: ${questions.length} questions, ${clips} stand-in clips (64x48, 4 fps, ${Math.min(...durations)}–${Math.max(...durations)} s) imported and relinked in ${setupSeconds.toFixed(1)} s`);

  await timeOneAnswer(); // warm-up: the first request pays for the connection and the JIT
  const alone: number[] = [];
  for (let repeat = 0; repeat < 5; repeat++) alone.push(await timeOneAnswer());
  const answerSeconds = [...alone].sort((a, b) => a - b)[2] as number;
  say(`one answer alone (${TOKENS} tokens, ${CHUNK_DELAY_MS} ms apart): median ${(answerSeconds * 1000).toFixed(0)} ms of 5 (${(((TOKENS + 3) * CHUNK_DELAY_MS))} ms nominal)`);

  // The baseline's questions: whole clips in clip order, until 1/8 of the questions.
  const db = openProject(project, { readonly: true });
  let baselineIds: number[];
  try {
    const clipIds = listClips(db).map((clip) => clip.id).sort((a, b) => a - b);
    const share = Math.ceil(questions.length / (CONCURRENCY / BASELINE_CONCURRENCY));
    baselineIds = [];
    for (const clipId of clipIds) {
      if (baselineIds.length >= share) break;
      baselineIds.push(...sampleIdsOfClips(db, [clipId]));
    }
  } finally {
    db.close();
  }

  const runs: Measured[] = [];
  const plan: Array<[number, number[] | null, Measured['parts']]> = [[CONCURRENCY, null, 'images'], [BASELINE_CONCURRENCY, baselineIds, 'images']];
  if (isWithoutFfmpegToo) plan.push([CONCURRENCY, null, 'video-file']);
  for (const [concurrency, ids, parts] of plan) {
    const measured = await inferRun(project, concurrency, ids, answerSeconds, parts);
    runs.push(measured);
    say(`concurrency ${concurrency}, ${parts}: ${measured.wallSeconds.toFixed(1)} s for ${measured.questions} questions (ideal ${measured.idealSeconds.toFixed(1)} s); streams median ${measured.streamSeconds.median.toFixed(2)} s; CPU ${measured.cpuSeconds.toFixed(0)} s + ${measured.childCpuSeconds.toFixed(0)} s in ffmpeg/ffprobe, server ${measured.serverCpuSeconds.toFixed(0)} s`);
  }
  process.stdout.write(`${JSON.stringify({ setupSeconds, clips, tokens: TOKENS, chunkDelayMs: CHUNK_DELAY_MS, answerSeconds, alone, target: TARGET_RATIO, runs })}\n`);
} finally {
  clearInterval(forget);
  await server.close();
  rmSync(work, { recursive: true, force: true });
}
