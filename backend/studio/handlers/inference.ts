// inference.*: the Inspect view's calls. Runs (Frustum's own, asked by a job, and imported
// results), their samples and predictions with the analyzer's contradictions, starting and
// resuming runs, a live ask streamed through 'inference.stream' events from this process (no
// job, so the first token reaches the window with nothing in between), and "make this the chain".
import { randomUUID } from 'node:crypto';
import {
  ApiError, type InferenceRun, type InferenceSettings, type Prediction, type PredictionRow, type SentFrameInfo,
} from '../../../common/api/contract';
import { UsageError } from '../../../common/errors';
import { formatReward } from '../../../common/ota/reward';
import {
  appendRunSample, latestJobOfRun, predictionOfRunSample, predictionsOfSample, runCounts, runOfJob, runSampleRows, savePredictions,
  type StoredPredictionRow,
} from '../../../db/inference';
import { getRun, listRuns } from '../../../db/runs';
import { sampleById } from '../../../db/samples';
import { rowsFilterOf } from '../../evaluation/report';
import { contradictionsOf, readingForChecks } from '../../facts/lintCache';
import {
  failedPrediction, freezeInferenceRun, inferenceRunMeta, openInferenceEngine, questionOf, storedPrediction,
} from '../../inference/runInference';
import { readRunMeta } from '../../inference/runMeta';
import type { Handlers, StudioContext } from '../context';
import { saveChainRevision } from './samples';

type InferenceMethods = 'inference.runs' | 'inference.rows' | 'inference.predictions' | 'inference.start' | 'inference.resume' | 'inference.ask' | 'inference.cancelAsk' | 'inference.makeChain';

/** The backend's clock for latency: sub-millisecond, comparable with Date.now() across processes on one machine. */
const clock = () => performance.timeOrigin + performance.now();

function framesOf(json: string | null): SentFrameInfo[] {
  if (json === null) return [];
  try {
    const parsed = JSON.parse(json) as unknown;
    return Array.isArray(parsed) ? (parsed as SentFrameInfo[]) : [];
  } catch {
    return [];
  }
}

/** Usage mistakes in a request (a bad endpoint, no samples) are the caller's: bad-request. */
function asBadRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof UsageError) throw new ApiError('bad-request', error.message);
    throw error;
  }
}

export function inferenceHandlers(context: StudioContext): Handlers<InferenceMethods> {
  const { db, projectPath, jobs, emit, log } = context;
  const asks = new Map<string, AbortController>();

  const toPrediction = (row: StoredPredictionRow): Prediction => {
    const sample = sampleById(db, row.sample_id);
    const output = row.output;
    return {
      runId: row.run_id,
      sampleId: row.sample_id,
      output,
      prediction: row.prediction,
      accuracy: row.accuracy,
      format: output === null ? null : formatReward(output),
      yesProbability: row.score,
      error: row.error,
      frames: framesOf(row.frames),
      completionTokens: row.completion_tokens,
      firstTokenMs: row.first_token_ms,
      durationMs: row.duration_ms,
      finishReason: row.finish_reason,
      contradictions: output === null || !sample ? [] : contradictionsOf(output, readingForChecks(db, sample.clip_id), sample.primitive, sample.options),
      createdAt: row.created_at,
    };
  };

  const toRun = (id: number): InferenceRun | null => {
    const row = getRun(db, id);
    if (!row) return null;
    const meta = row.kind === 'inference' ? readRunMeta(row.meta) : null;
    const counts = runCounts(db, id);
    const job = latestJobOfRun(db, id);
    return {
      id: row.id,
      kind: row.kind as InferenceRun['kind'],
      model: row.model,
      settings: meta?.settings ?? null,
      snapshotHash: meta?.snapshotHash ?? null,
      filter: meta?.filter ?? null,
      trainJobId: meta?.trainJobId ?? null,
      samples: counts.samples,
      done: counts.done,
      errors: counts.errors,
      accuracy: counts.accuracy,
      completionTokens: counts.completion_tokens,
      jobId: job?.id ?? null,
      jobState: (job?.state as InferenceRun['jobState'] | undefined) ?? null,
      createdAt: row.created_at,
    };
  };

  const requireRun = (runId: number): InferenceRun => {
    const run = toRun(runId);
    if (run === null) throw new ApiError('not-found', `no run ${runId} in this project`);
    return run;
  };

  /** The "asked in Inspect" run of these exact settings, made on first use. */
  const interactiveRun = (settings: InferenceSettings): number => {
    const wanted = JSON.stringify(settings);
    for (const row of listRuns(db).reverse()) {
      const meta = row.kind === 'inference' ? readRunMeta(row.meta) : null;
      if (meta?.isInteractive === true && JSON.stringify(meta.settings) === wanted) return row.id;
    }
    return asBadRequest(() => freezeInferenceRun(db, projectPath, { settings, concurrency: 1 }, { isInteractive: true, sampleIds: [] }).runId);
  };

  /** Streams one answer as events and stores it; never throws (the outcome is an event). */
  const stream = async (streamId: string, runId: number, sampleId: number, settings: InferenceSettings, signal: AbortSignal) => {
    const base = { streamId, sampleId, runId };
    try {
      const found = questionOf(db, sampleId);
      if ('error' in found) throw new Error(found.error);
      const engine = await openInferenceEngine(db, settings);
      try {
        const answer = await engine.answer(found.question, {
          signal,
          onFrames: (frames) => emit('inference.stream', { type: 'frames', ...base, frames, at: clock() }),
          onDelta: (text) => emit('inference.stream', { type: 'delta', ...base, text, at: clock() }),
          onReset: (reason) => emit('inference.stream', { type: 'reset', ...base, reason, at: clock() }),
        });
        savePredictions(db, runId, [storedPrediction(sampleId, answer, found.answer, found.question.problemType)]);
      } finally {
        await engine.close();
      }
      const stored = predictionOfRunSample(db, runId, sampleId);
      if (stored) emit('inference.stream', { type: 'done', ...base, prediction: toPrediction(stored), at: clock() });
    } catch (error) {
      const message = signal.aborted ? 'stopped' : error instanceof Error ? error.message : String(error);
      // A stopped ask keeps the run's earlier answer; a failure is recorded like a run's.
      if (!signal.aborted) {
        try {
          if (!predictionOfRunSample(db, runId, sampleId)) savePredictions(db, runId, [failedPrediction(sampleId, message)]);
        } catch (storeError) {
          log(`inference.ask: could not store the failure: ${String(storeError)}`);
        }
      }
      emit('inference.stream', { type: 'error', ...base, message, at: clock() });
    } finally {
      asks.delete(streamId);
    }
  };

  return {
    'inference.runs': (request) => {
      const runs = listRuns(db).reverse().slice(0, request.limit ?? 100);
      return { runs: runs.map((row) => toRun(row.id)).filter((run): run is InferenceRun => run !== null) };
    },

    'inference.rows': (request) => {
      requireRun(request.runId);
      // An Evaluate cell opened here: the run's items of that benchmark (and split), as the report scored them.
      const benchmark = request.benchmark === undefined ? undefined : rowsFilterOf(db, request.runId, request.benchmark, request.split);
      const page = runSampleRows(db, request.runId, {
        offset: request.offset, limit: request.limit, onlyWrong: request.onlyWrong === true, ...(benchmark !== undefined ? { benchmark } : {}),
      });
      const readings = new Map<number, ReturnType<typeof readingForChecks>>();
      const readingOf = (clipId: number | null) => {
        if (clipId === null) return null;
        if (!readings.has(clipId)) readings.set(clipId, readingForChecks(db, clipId));
        return readings.get(clipId) ?? null;
      };
      const rows: PredictionRow[] = page.rows.map((row) => ({
        sampleId: row.sample_id,
        clipName: row.clip_name ?? '',
        question: row.question,
        answer: row.answer,
        prediction: row.prediction,
        accuracy: row.accuracy,
        yesProbability: row.score,
        contradictions: row.output === null ? 0 : contradictionsOf(row.output, readingOf(row.clip_id), row.primitive, row.options).length,
        error: row.error,
        isPending: row.has_prediction === 0,
      }));
      return { total: page.total, rows };
    },

    'inference.predictions': (request) => {
      const wanted = request.runIds === undefined ? null : new Set(request.runIds);
      return { predictions: predictionsOfSample(db, request.sampleId).filter((row) => wanted === null || wanted.has(row.run_id)).map(toPrediction) };
    },

    'inference.start': (request) => {
      const frozen = asBadRequest(() => freezeInferenceRun(db, projectPath, request));
      return { runId: frozen.runId, job: jobs.start('infer', { runId: frozen.runId }) };
    },

    'inference.resume': (request) => {
      asBadRequest(() => inferenceRunMeta(db, request.runId));
      const run = requireRun(request.runId);
      if (run.jobState === 'queued' || run.jobState === 'running') throw new ApiError('conflict', `run ${run.id} is still being asked (job ${run.jobId ?? ''}); stop it first`);
      return { runId: run.id, job: jobs.start('infer', { runId: run.id, ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}) }) };
    },

    'inference.ask': (request) => {
      if (!sampleById(db, request.sampleId)) throw new ApiError('not-found', `no sample ${request.sampleId} in this project`);
      let runId: number;
      let settings: InferenceSettings;
      if (request.runId !== undefined) {
        requireRun(request.runId);
        settings = asBadRequest(() => inferenceRunMeta(db, request.runId as number)).settings;
        runId = request.runId;
      } else if (request.settings !== undefined) {
        runId = interactiveRun(request.settings);
        settings = asBadRequest(() => inferenceRunMeta(db, runId)).settings;
      } else throw new ApiError('bad-request', 'give the run to ask with (runId) or the settings of a new ask');
      appendRunSample(db, runId, request.sampleId);
      const streamId = randomUUID();
      const controller = new AbortController();
      asks.set(streamId, controller);
      // Answered now; the stream follows as events (the caller subscribed before asking).
      setImmediate(() => void stream(streamId, runId, request.sampleId, settings, controller.signal));
      return { streamId, runId };
    },

    'inference.cancelAsk': (request) => {
      asks.get(request.streamId)?.abort(new Error('stopped'));
      return { ok: true };
    },

    'inference.makeChain': (request) => {
      const run = requireRun(request.runId);
      const stored = predictionOfRunSample(db, request.runId, request.sampleId);
      if (!stored || stored.output === null) throw new ApiError('not-found', `run ${request.runId} has no answer for sample ${request.sampleId}`);
      return saveChainRevision(context, request.sampleId, stored.output, request.parentRevisionId, { kind: 'model', name: `${run.model} (run ${run.id})` });
    },
  };
}

/** 'inference.progress' for the run a job asks, from the job's own progress events. */
export function inferenceProgressOf(context: Pick<StudioContext, 'db'>, jobId: number): { runId: number; done: number; total: number } | null {
  const runId = runOfJob(context.db, jobId);
  if (runId === null) return null;
  const counts = runCounts(context.db, runId);
  return { runId, done: counts.done, total: counts.samples };
}
