// A run: the chosen samples frozen in order with a snapshot hash (freezeInferenceRun), then asked
// by a job (runInferenceJob) with at most `concurrency` requests in flight. Answers are stored as
// they come, a few at a time, so a killed job loses only the requests in flight, and a resume
// asks only samples without an answer. Memory stays bounded whatever the run's size: samples are
// read a page at a time, and only the requests in flight hold frames.
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { number, object, optional, type infer as Infer } from 'zod';
import type { InferenceRequest, InferenceSettings, LibraryFilter } from '../../common/api/contract';
import { ProjectError, UsageError } from '../../common/errors';
import { parseStringArray } from '../../common/formats/jsonText';
import { multipleChoiceAccuracy, predictionOf } from '../../common/ota/evalAccuracy';
import type { ReadableDB, WritableDB } from '../../db/connection';
import { clipIdsOfRun, insertInferenceRun, pendingSamples, runCounts, savePredictions, snapshotRowOfSample, type SnapshotRow, type StoredPrediction } from '../../db/inference';
import { sampleIdsMatching, toSampleFilter } from '../../db/library';
import { getRun } from '../../db/runs';
import { clipById, sampleById } from '../../db/samples';
import { newestBuiltinCheckpoint, resolveBuiltinCheckpoint } from '../engines/builtin';
import { runsFolder } from '../engines/runFolder';
import type { JobContext } from '../jobs/kinds';
import { confinedClipFile, isRefusal } from '../media/confine';
import { parseStoredProbe } from '../media/probe';
import { ensureClipEvidence } from '../motion/analyze/projectEvidence';
import { openBuiltinEngine } from './builtinEngine';
import type { EngineAnswer, InferenceEngine, InferenceQuestion } from './engine';
import { ChatCompletionError } from './openaiClient';
import { openOpenAIEngine, type OpenAIEngineOptions } from './openaiEngine';
import { readRunMeta, type RunMeta } from './runMeta';

export const inferParams = object({
  runId: number().int().positive(),
  /** A resume may change how many requests are in flight; else the run's own. */
  concurrency: optional(number().int().min(1).max(256)),
});
export type InferParams = Infer<typeof inferParams>;

export interface InferResult {
  runId: number;
  samples: number;
  answered: number;
  failed: number;
  /** Asked by this job (a resume skips what earlier jobs answered). */
  asked: number;
  accuracy: number | null;
  completionTokens: number;
  seconds: number;
}

/** No filter: every sample whose clip is on disk (the run would only fail the others). */
const DEFAULT_FILTER: LibraryFilter = { media: ['ok'] };

export interface FrozenRun {
  runId: number;
  samples: number;
  /** Samples the filter matched that have no clip, left out. */
  withoutClip: number;
  /** Built-in runs: free-form samples (captions) the filter matched, left out: the built-in model cannot caption. */
  freeFormSkipped: number;
  snapshotHash: string;
  settings: InferenceSettings;
}

/** The settings a run will store: a built-in model named by a run folder or checkpoint resolves to its checkpoint's folder. */
export function resolveSettings(projectPath: string, settings: InferenceSettings): { settings: InferenceSettings; trainJobId: number | null } {
  if (settings.engine === 'openai') {
    if (settings.endpoint === undefined || settings.endpoint.trim() === '') throw new UsageError('an OpenAI-compatible run needs --endpoint URL (e.g. http://127.0.0.1:8000/v1)');
    try {
      new URL(settings.endpoint);
    } catch {
      throw new UsageError(`--endpoint ${settings.endpoint} is not a URL (e.g. http://127.0.0.1:8000/v1)`);
    }
    checkApiKey(settings);
    return { settings, trainJobId: null };
  }
  const runs = runsFolder(projectPath);
  let folder: string;
  if (settings.model === 'newest') {
    const newest = newestBuiltinCheckpoint(runs);
    if (newest === null) throw new UsageError('this project has no built-in checkpoint yet: train one (frustum train PROJECT --engine builtin --objective sft) or name one with --model');
    folder = newest;
  } else folder = resolveBuiltinCheckpoint(settings.model);
  // A checkpoint of this project's runs says which training job made it: <runs>/<job id>/…
  const inside = relative(runs, folder);
  const first = inside.split(sep)[0] ?? '';
  const trainJobId = !inside.startsWith('..') && /^\d+$/.test(first) ? Number(first) : null;
  return { settings: { ...settings, model: folder }, trainJobId };
}

/** The key's variable is the same for every request: a missing one is said once, before any is sent. */
function checkApiKey(settings: InferenceSettings, then = ''): void {
  if (settings.apiKeyEnv !== undefined && (process.env[settings.apiKeyEnv] ?? '') === '') {
    throw new UsageError(`the API key variable ${settings.apiKeyEnv} is not set in the environment: set it where frustum (or the studio) runs${then}`);
  }
}

function snapshotHashOf(rows: readonly SnapshotRow[]): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${JSON.stringify([row.id, row.question, row.options, row.answer, row.content_hash])}\n`);
  return hash.digest('hex');
}

/** Chooses the samples, freezes their order and stores the run with its exact settings. */
export function freezeInferenceRun(db: WritableDB, projectPath: string, request: InferenceRequest, options: { isInteractive?: boolean; sampleIds?: number[] } = {}): FrozenRun {
  const { settings, trainJobId } = resolveSettings(projectPath, request.settings);
  const filter = request.filter ?? DEFAULT_FILTER;
  const matched = options.sampleIds ?? sampleIdsMatching(db, toSampleFilter(filter), { key: 'id', direction: 'asc' }, null);
  const withClip = matched.map((id) => snapshotRowOfSample(db, id)).filter((row): row is SnapshotRow => row !== undefined && row.clip_id !== null);
  // The built-in model was trained on O-T-A chains that end in an option letter: asked for a
  // caption it would write a chain and a letter, not a caption. Its runs leave free-form samples
  // out, counted, rather than store nonsense as captions (issue 13 item 3).
  const rows = settings.engine === 'builtin' ? withClip.filter((row) => row.problem_type !== 'free-form') : withClip;
  const freeFormSkipped = withClip.length - rows.length;
  const sampleIds = rows.map((row) => row.id);
  if (sampleIds.length === 0 && options.isInteractive !== true) {
    const why = freeFormSkipped > 0 ? `none with a clip that the built-in model can answer (${freeFormSkipped} free-form: it cannot caption)` : 'none with a clip';
    throw new UsageError(`no samples to ask: the filter ${JSON.stringify(filter)} matches ${matched.length} sample(s), ${why}`);
  }
  const snapshotHash = snapshotHashOf(rows);
  const meta: RunMeta = {
    settings,
    concurrency: request.concurrency,
    snapshotHash,
    filter,
    ...(trainJobId !== null ? { trainJobId } : {}),
    ...(options.isInteractive === true ? { isInteractive: true } : {}),
  };
  const model = settings.engine === 'builtin' ? `builtin:${settings.model}` : settings.model;
  const runId = insertInferenceRun(db, { model, meta: JSON.stringify(meta), sampleIds });
  return { runId, samples: sampleIds.length, withoutClip: matched.length - withClip.length, freeFormSkipped, snapshotHash, settings };
}

export function openInferenceEngine(db: WritableDB, settings: InferenceSettings, options: OpenAIEngineOptions = {}): Promise<InferenceEngine> {
  return settings.engine === 'builtin' ? openBuiltinEngine(db, settings) : Promise.resolve(openOpenAIEngine(settings, options));
}

/** The sample as the engine needs it, or why it cannot be asked (stored as its error). */
export function questionOf(db: ReadableDB, sampleId: number): { question: InferenceQuestion; answer: string | null } | { error: string } {
  const sample = sampleById(db, sampleId);
  if (!sample) return { error: 'the sample is no longer in the project' };
  if (sample.clip_id === null) return { error: 'the sample has no clip' };
  const clip = clipById(db, sample.clip_id);
  if (!clip) return { error: 'the clip is no longer in the project' };
  const file = confinedClipFile(db, clip);
  if (isRefusal(file)) return { error: `${clip.name}: ${file.reason}` };
  // The probe stored for this very file (same size and modification time) spares ffprobe.
  const isUnchanged = clip.file_size === file.size && clip.file_mtime === file.mtime.toISOString();
  const probe = isUnchanged ? parseStoredProbe(clip.probe) : null;
  return {
    question: {
      sampleId,
      clipId: clip.id,
      clipPath: file.realPath,
      problem: sample.question,
      options: parseStringArray(sample.options) ?? [],
      problemType: sample.problem_type,
      ...(probe !== null ? { probe } : {}),
    },
    answer: sample.answer,
  };
}

/**
 * What is stored for an answer: eval_bench.py's prediction and accuracy, and the rest. A
 * free-form answer (a caption) has no answer tag and no letter to grade: its prediction is the
 * whole output, as CameraBench's caption generator keeps it (generated_caption), and its
 * accuracy null (captions are scored against their reference by common/metrics/captions.ts).
 */
export function storedPrediction(sampleId: number, answer: EngineAnswer, reference: string | null, problemType = 'multiple choice'): StoredPrediction {
  const isFreeForm = problemType === 'free-form';
  return {
    sample_id: sampleId,
    output: answer.output,
    prediction: isFreeForm ? answer.output : predictionOf(answer.output),
    accuracy: reference === null || isFreeForm ? null : multipleChoiceAccuracy(answer.output, reference),
    score: answer.yesProbability,
    error: null,
    frames: JSON.stringify(answer.frames),
    completion_tokens: answer.completionTokens,
    first_token_ms: answer.firstTokenMs,
    duration_ms: answer.durationMs,
    finish_reason: answer.finishReason,
  };
}

export function failedPrediction(sampleId: number, error: string): StoredPrediction {
  return { sample_id: sampleId, output: null, prediction: null, accuracy: null, score: null, error, frames: null, completion_tokens: null, first_token_ms: null, duration_ms: null, finish_reason: null };
}

/** The run's stored meta, or a clear error for a run Frustum did not make. */
export function inferenceRunMeta(db: ReadableDB, runId: number): RunMeta {
  const run = getRun(db, runId);
  if (!run) throw new UsageError(`no run ${runId} in this project`);
  const meta = readRunMeta(run.meta);
  if (run.kind !== 'inference' || meta === null) throw new UsageError(`run ${runId} was imported (${run.kind}), not asked by Frustum: there is nothing to resume`);
  return meta;
}

const BUILTIN_IN_FLIGHT = 64;
/** Samples read from the table at a time: enough to keep every request slot busy. */
const PAGE = 256;
/** Answers are stored in groups: one transaction per answer would cost more than the answer. */
const FLUSH_ROWS = 32;
const FLUSH_MS = 250;
/** Failures in a row, each after the client's own retries, that mean the server is down: stop, and let a resume go on. */
const FAILURES_TO_STOP = 16;

export async function runInferenceJob(params: InferParams, context: JobContext, engineOptions: OpenAIEngineOptions = {}): Promise<InferResult> {
  const { db, signal } = context;
  const meta = inferenceRunMeta(db, params.runId);
  // The built-in worker answers what is in flight as one batch: fill its batch.
  const concurrency = Math.max(params.concurrency ?? meta.concurrency, meta.settings.engine === 'builtin' ? BUILTIN_IN_FLIGHT : 1);
  const started = performance.now();
  const before = runCounts(db, params.runId);
  const answeredBefore = before.done - before.errors;
  const settings = meta.settings;
  context.log(`run ${params.runId}: ${settings.engine === 'openai' ? `${settings.model} at ${settings.endpoint ?? ''}` : `built-in checkpoint ${settings.model}`}`);
  context.log(`${before.samples} samples (snapshot ${meta.snapshotHash.slice(0, 12)}), ${answeredBefore} answered before; ${concurrency} in flight`);
  checkApiKey(settings, `, then frustum infer ${context.projectPath} --resume ${params.runId}`);
  if (settings.engine === 'builtin') await trackRunClips(context, params.runId);
  const engine = await openInferenceEngine(db, settings, engineOptions);
  let asked = 0;
  let answered = answeredBefore;
  let consecutiveFailures = 0;
  let stop: Error | null = null;
  const buffer: StoredPrediction[] = [];
  let lastFlush = performance.now();
  const flush = () => {
    if (buffer.length === 0) return;
    savePredictions(db, params.runId, buffer.splice(0));
    lastFlush = performance.now();
    context.progress(answered, before.samples, `${answered} of ${before.samples} answered`);
  };
  const store = (row: StoredPrediction) => {
    buffer.push(row);
    if (buffer.length >= FLUSH_ROWS || performance.now() - lastFlush >= FLUSH_MS) flush();
  };

  const askOne = async (sampleId: number, position: number) => {
    const found = questionOf(db, sampleId);
    asked += 1;
    if ('error' in found) {
      store(failedPrediction(sampleId, found.error));
      context.log(`#${position + 1} sample ${sampleId}: ${found.error}`);
      return;
    }
    try {
      const answer = await engine.answer(found.question, { signal });
      const row = storedPrediction(sampleId, answer, found.answer, found.question.problemType);
      answered += 1;
      consecutiveFailures = 0;
      store(row);
      const mark = row.accuracy === null ? '' : row.accuracy === 1 ? ' ✓' : ' ✗';
      context.log(`#${position + 1} sample ${sampleId}: ${JSON.stringify(row.prediction ?? '')} (reference ${found.answer ?? 'none'})${mark}, ${answer.completionTokens ?? '?'} tokens, ${(answer.durationMs / 1000).toFixed(1)} s`);
    } catch (error) {
      if (signal.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      store(failedPrediction(sampleId, message));
      context.log(`#${position + 1} sample ${sampleId}: failed: ${message}`);
      // Only the server's failures count toward stopping; a bad clip is the sample's own problem.
      if (error instanceof ChatCompletionError && error.kind !== 'malformed') {
        consecutiveFailures += 1;
        if (consecutiveFailures >= FAILURES_TO_STOP) stop = new ProjectError(context.projectPath, `the server failed ${consecutiveFailures} requests in a row (last: ${message}); what was answered is kept: frustum infer ${context.projectPath} --resume ${params.runId} goes on`);
      }
    }
  };

  try {
    context.progress(answered, before.samples, `${answered} of ${before.samples} answered`);
    let cursor: { clip: number; position: number } | null = null;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const page = pendingSamples(db, params.runId, cursor, PAGE);
      if (page.length === 0) break;
      for (const { sample_id: sampleId, position } of page) {
        if (signal.aborted || stop !== null) break;
        const task = askOne(sampleId, position).finally(() => inFlight.delete(task));
        inFlight.add(task);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
      if (signal.aborted || stop !== null) break;
      const last = page[page.length - 1] as { clip: number; position: number };
      cursor = { clip: last.clip, position: last.position };
    }
    await Promise.all(inFlight);
  } finally {
    flush();
    await engine.close();
  }
  signal.throwIfAborted();
  if (stop !== null) throw stop;
  const after = runCounts(db, params.runId);
  const seconds = (performance.now() - started) / 1000;
  context.log(`answered ${after.done - after.errors} of ${after.samples}, ${after.errors} failed; accuracy ${after.accuracy === null ? '–' : (after.accuracy * 100).toFixed(1)} %; ${after.completion_tokens} tokens; ${seconds.toFixed(1)} s`);
  return { runId: params.runId, samples: after.samples, answered: after.done - after.errors, failed: after.errors, asked, accuracy: after.accuracy, completionTokens: after.completion_tokens, seconds };
}

/** Built-in runs read motion evidence: track the run's clips that have none, before the first question. */
async function trackRunClips(context: JobContext, runId: number): Promise<void> {
  const clipIds = clipIdsOfRun(context.db, runId);
  const report = await ensureClipEvidence(context.db, clipIds, {
    signal: context.signal,
    onClip: (done, total) => context.progress(done, total, `motion evidence: clip ${done} of ${total}`),
  });
  context.log(`motion evidence: ${report.reused} clip(s) already tracked, ${report.computed} tracked now, ${report.failed.length} failed`);
}
