// training.*: the external trainers. The environment they need (probing starts Python and
// imports verl, which imports torch: seconds, so an answer is kept a minute unless the person
// asks to look again), a run's preview, starting and resuming runs as jobs, and what a run has
// produced: its lineage and checkpoints, its metric series and its GRPO rollouts.
import { ApiError, type RolloutGroup, type TrainingEnvironment, type TrainRun } from '../../../common/api/contract';
import { questionWithOptions } from '../../../common/formats/prompts';
import { jobById, listJobs, type JobRow } from '../../../db/jobs';
import { sampleById } from '../../../db/samples';
import { metricSeriesOfJobs, metricsSeq, rolloutSteps, rolloutsOfStep } from '../../../db/trainerOutput';
import { listCheckpoints } from '../../engines/checkpoints';
import { detectTrainingEnvironment } from '../../engines/environment';
import { checkTrainRequest } from '../../engines/plan';
import { previewTrainPlan } from '../../engines/preview';
import { readRunDescription, runFolderOf } from '../../engines/runFolder';
import { resumeChainOf, trainParams } from '../../engines/trainJob';
import { contradictionsOf, readingForChecks } from '../../facts/lintCache';
import type { Handlers, StudioContext } from '../context';

type EngineMethods = 'training.environment' | 'training.preview' | 'training.start' | 'training.resume' | 'training.runs' | 'training.metrics' | 'training.rollouts';

const KEEP_MS = 60_000;

export function enginesHandlers(context: StudioContext): Handlers<EngineMethods> {
  const { db, projectPath, jobs } = context;
  let kept: { at: number; answer: Promise<TrainingEnvironment> } | null = null;

  /** A training job, or not-found: the methods below take only those. */
  const trainJob = (jobId: number): JobRow => {
    const row = jobById(db, jobId);
    if (!row || row.kind !== 'train') throw new ApiError('not-found', `no training job ${jobId}`);
    return row;
  };
  /** The job and the jobs it resumed, oldest first: a run's history across resumes. */
  const lineage = (jobId: number): number[] => {
    trainJob(jobId);
    return resumeChainOf(db, jobId);
  };

  return {
    'training.environment': (request) => {
      if (kept === null || request.refresh === true || Date.now() - kept.at > KEEP_MS) {
        const answer = detectTrainingEnvironment();
        kept = { at: Date.now(), answer };
        // A failed probe is not kept: the next ask tries again.
        answer.catch(() => {
          kept = null;
        });
      }
      return kept.answer;
    },

    'training.preview': async (request) => {
      const { runFolder: _folder, ...plan } = await previewTrainPlan(db, projectPath, request);
      return plan;
    },

    'training.start': (request) => {
      try {
        checkTrainRequest(request);
      } catch (error) {
        throw new ApiError('bad-request', error instanceof Error ? error.message : String(error));
      }
      return jobs.start('train', { request });
    },

    'training.resume': (request) => {
      const row = trainJob(request.jobId);
      if (row.state === 'queued' || row.state === 'running') throw new ApiError('conflict', `training job ${row.id} is still ${row.state}; cancel it first`);
      const params = trainParams.parse(JSON.parse(row.params));
      return jobs.start('train', { request: params.request, resumeOf: row.id, ...(params.python !== undefined ? { python: params.python } : {}) });
    },

    'training.runs': (request) => {
      const runs: TrainRun[] = [];
      for (const row of listJobs(db, 10_000)) {
        if (row.kind !== 'train') continue;
        const params = trainParams.safeParse(JSON.parse(row.params));
        if (!params.success) continue;
        const folder = runFolderOf(projectPath, resumeChainOf(db, row.id)[0] as number);
        let description = null;
        try {
          description = readRunDescription(folder);
        } catch (error) {
          context.log(`training job ${row.id}: ${error instanceof Error ? error.message : String(error)}`);
        }
        const engine = description?.engine ?? params.data.request.engine;
        runs.push({
          jobId: row.id,
          resumedFrom: params.data.resumeOf ?? null,
          engine,
          objective: description?.objective ?? params.data.request.objective,
          model: description?.model ?? params.data.request.model ?? '',
          runFolder: folder,
          snapshot: description?.snapshot ?? null,
          checkpoints: description === null ? [] : listCheckpoints(description),
          rayJobId: description?.rayJobId ?? null,
        });
        if (runs.length >= (request.limit ?? 100)) break;
      }
      return { runs };
    },

    'training.metrics': (request) => {
      const chain = lineage(request.jobId);
      // The seq before the series: a point stored while they are read comes again with afterSeq, never lost.
      const seq = metricsSeq(db);
      return { series: metricSeriesOfJobs(db, chain, request.afterSeq ?? 0), seq };
    },

    'training.rollouts': (request) => {
      const chain = lineage(request.jobId);
      const steps = rolloutSteps(db, chain);
      const step = request.step ?? steps.at(-1) ?? null;
      if (step === null) return { step: null, steps, groups: [] };
      const groups: RolloutGroup[] = rolloutsOfStep(db, chain, step).map((row) => {
        const sample = row.sample_id === null ? undefined : sampleById(db, row.sample_id);
        const reading = sample ? readingForChecks(db, sample.clip_id) : null;
        const responses = (JSON.parse(row.responses) as Array<{ text?: unknown; length?: unknown; overall?: unknown; format?: unknown; accuracy?: unknown; advantage?: unknown }>)
          .map((response) => {
            const text = typeof response.text === 'string' ? response.text : '';
            return {
              text,
              overall: numberOr(response.overall),
              format: numberOr(response.format),
              accuracy: numberOr(response.accuracy),
              advantage: numberOr(response.advantage),
              length: typeof response.length === 'number' ? response.length : null,
              contradictions: sample ? contradictionsOf(text, reading, sample.primitive, sample.options) : [],
            };
          });
        return {
          sampleId: sample ? sample.id : null,
          clipId: sample?.clip_id ?? null,
          prompt: sample ? questionWithOptions(sample.question, JSON.parse(sample.options) as string[]) : '(a sample no longer in the project)',
          groundTruth: row.ground_truth,
          responses,
        };
      });
      return { step, steps, groups };
    },
  };
}

function numberOr(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}
