// What each kind of job does, with the schema of its parameters (checked when a job is made and
// again in the process that runs it: the row could have been written by another version). A
// kind runs inside the job's own process (./runJob.ts) with the project open there, reports
// progress, writes its log through `log`, and stops when `signal` aborts (a cancel).
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { array, boolean, enum as zodEnum, literal, number, object, optional, string, union, type infer as Infer, type ZodType } from 'zod';
import type { WritableDB } from '../../db/connection';
import { insertJob, type JobRow } from '../../db/jobs';
import { markLintPending, sampleIdsOfClip } from '../../db/library';
import { clipById } from '../../db/samples';
import { DEMO_FILL_STEPS, fillDemoProject } from '../demo/fillDemo';
import { importFiles } from '../formats/importFiles';
import { probeProjectClips } from '../media/probeProject';
import { ANALYSIS_DEFAULTS, analyzeProject } from '../motion/analyze';
import { synthesize } from '../motion/synth/synthesize';
import { analyzeProjectClip } from '../motion/analyze/analyzeProjectClip';
import { runTrainJob, trainParams, trainTitle } from '../engines/trainJob';
import { inferParams, runInferenceJob } from '../inference/runInference';
import { jobLogPath } from './control';

export interface JobContext {
  db: WritableDB;
  /** The job's row (metrics and rollouts are stored under it). */
  jobId: number;
  projectPath: string;
  /** done/total in the kind's own units; the runner stores it (throttled) for every window to see. */
  progress(done: number, total: number, message: string): void;
  log(line: string): void;
  signal: AbortSignal;
}

interface JobKind<Params extends ZodType> {
  params: Params;
  title(params: Infer<Params>): string;
  /** Returns what the job produced (stored as JSON in jobs.result). */
  run(params: Infer<Params>, context: JobContext): Promise<unknown>;
}

const kind = <Params extends ZodType>(definition: JobKind<Params>) => definition;
const clipIds = array(number().int().positive()).min(1).max(100_000);

const analyzeParams = object({
  /** Only these clips (their readings; drafts are the whole-project analysis's); default every clip. */
  clipIds: optional(clipIds),
  force: optional(boolean()),
  /**
   * The whole-project analysis's settings (`frustum analyze PROJECT --fps/--width/--fov`); default
   * ANALYSIS_DEFAULTS with the lens read from each clip. Keys in the order the CLI reports them.
   */
  settings: optional(object({
    fovDegrees: union([literal('auto'), number().positive().max(170)]),
    fps: number().positive().max(60),
    width: number().int().positive().max(1920),
  })),
  /** Whole project only: write CameraBench score files for the analyzer here (`--scores`; a path as the CLI was given it, read in its own process). */
  scoresDir: optional(string().min(1)),
});

const importParams = object({
  paths: array(string().min(1)).min(1).max(64),
  format: zodEnum(['auto', 'sft', 'rl', 'eval', 'results', 'camerabench', 'camerabench-scores', 'camerabench-vqa', 'camerabench-caption', 'shotbench', 'refineshot']),
  videosDir: optional(string()),
  split: optional(string()),
  /** What each file is called where people know it (a dropped file's own name), recorded as its source. */
  sourcePaths: optional(array(string().min(1)).max(64)),
  /** A folder of temporary copies (dropped files) removed when the job ends, whatever the outcome. */
  scratchFolder: optional(string()),
});

const synthParams = object({
  count: number().int().min(1).max(500),
  seed: number().int().min(0).max(4_294_967_295),
});

const demoParams = object({
  /** The demo's rendered clips and their records (backend/demo/createDemo.ts renders them before the project exists). */
  clipsFolder: string().min(1),
  count: number().int().min(1),
  seed: number().int().min(0),
});

export const JOB_KINDS = {
  analyze: kind({
    params: analyzeParams,
    title: (params) => (params.clipIds ? `analyze ${params.clipIds.length === 1 ? 'a clip' : `${params.clipIds.length} clips`}` : 'analyze the project'),
    async run(params, context) {
      const { db } = context;
      if (params.clipIds === undefined) {
        const settings = params.settings ?? { fps: ANALYSIS_DEFAULTS.fps, width: ANALYSIS_DEFAULTS.width, fovDegrees: 'auto' as const };
        context.log(`settings: ${settings.fps} fps, ${settings.width} px wide, field of view ${settings.fovDegrees === 'auto' ? 'read from each clip' : `${settings.fovDegrees}°`}${params.force ? '; --force: every clip again' : ''}`);
        const report = await analyzeProject(db, {
          settings,
          ...(params.force ? { force: true } : {}),
          ...(params.scoresDir !== undefined ? { scoresDir: params.scoresDir } : {}),
          signal: context.signal,
          onClip: (done, total) => context.progress(done, total, `analyzed ${done} of ${total} clips`),
        });
        context.log(`analyzed ${report.clips.analyzed}, reused ${report.clips.reused}, failed ${report.clips.failed}, not on disk ${report.clips.notOnDisk}`);
        for (const failure of report.failures) context.log(`  ${failure.clip}: ${failure.error}`);
        if (report.scoreFiles.length > 0) context.log(`${report.scoreFiles.length} score files in ${params.scoresDir ?? ''}`);
        return report;
      }
      const total = params.clipIds.length;
      const failures: Array<{ clipId: number; error: string }> = [];
      for (const [index, clipId] of params.clipIds.entries()) {
        context.signal.throwIfAborted();
        const name = clipById(db, clipId)?.name ?? `clip ${clipId}`;
        context.progress(index, total, `analyzing ${name}`);
        try {
          await analyzeProjectClip(db, clipId, context.signal);
          // A new reading changes what the clip's chains contradict: the Library relints them.
          markLintPending(db, sampleIdsOfClip(db, clipId));
          context.log(`${name}: analyzed`);
        } catch (error) {
          if (context.signal.aborted) throw error;
          const message = error instanceof Error ? error.message : String(error);
          failures.push({ clipId, error: message });
          context.log(`${name}: ${message}`);
        }
      }
      context.progress(total, total, `analyzed ${total - failures.length} of ${total}`);
      // One clip asked for and it failed: the job failed (the person asked for exactly that).
      if (total === 1 && failures[0]) throw new Error(failures[0].error);
      return { analyzed: total - failures.length, failures };
    },
  }),

  import: kind({
    params: importParams,
    title: (params) => `import ${(params.sourcePaths ?? params.paths).map((path) => basename(path)).join(', ')}`,
    async run(params, context) {
      try {
        const report = importFiles(context.db, params.paths, {
          format: params.format,
          ...(params.videosDir !== undefined ? { videosDir: params.videosDir } : {}),
          ...(params.split !== undefined ? { split: params.split } : {}),
          ...(params.sourcePaths !== undefined ? { sourcePaths: params.sourcePaths } : {}),
          onProgress: (done, total) => context.progress(done, total, 'importing records'),
        });
        context.log(`${report.samplesAdded} samples added, ${report.samplesMerged} merged, ${report.clipsAdded} clips added (${report.clipsMissing} missing)` +
          (report.benchmarkItems > 0 ? `, ${report.benchmarkItems} benchmark items added` : ''));
        for (const note of report.notes) context.log(note);
        return report;
      } finally {
        if (params.scratchFolder !== undefined) rmSync(params.scratchFolder, { recursive: true, force: true });
      }
    },
  }),

  synth: kind({
    params: synthParams,
    title: (params) => `render ${params.count} synthetic clip${params.count === 1 ? '' : 's'} (seed ${params.seed})`,
    async run(params, context) {
      // Beside the project, named after it and the seed: a second run with the same seed is refused by the import (same files).
      const folder = join(dirname(context.projectPath), `${basename(context.projectPath, extname(context.projectPath))}-synth-${params.seed}`);
      context.log(`rendering into ${folder}`);
      const synth = await synthesize({
        out: folder, count: params.count, seed: params.seed, signal: context.signal,
        onProgress: (done, total) => context.progress(done, total, 'rendering frames'),
      });
      context.progress(0, 1, 'importing their records');
      const camerabench = readdirSync(join(folder, 'camerabench')).sort().map((name) => join(folder, 'camerabench', name));
      // Training records first: a sample takes the split of the first file that names it.
      const imported = importFiles(context.db, [join(folder, 'sft.json'), join(folder, 'rl.json'), join(folder, 'questions.json'), ...camerabench], { videosDir: folder });
      context.progress(0, 1, 'probing the clips');
      const probed = await probeProjectClips(context.db, { signal: context.signal });
      context.log(`${synth.clips.length} clips, ${imported.samplesAdded} samples added`);
      return { folder, clips: synth.clips.length, samplesAdded: imported.samplesAdded, probed: probed.probed };
    },
  }),

  /** `frustum demo`'s work once the project exists, run in its own process (./foreground.ts): one row that shows how the demo was built. */
  demo: kind({
    params: demoParams,
    title: () => 'build the demo',
    async run(params, context) {
      context.log(`${params.count} synthetic clips (seed ${params.seed}) rendered into ${params.clipsFolder}`);
      const filling = await fillDemoProject(context.db, params.clipsFolder, {
        signal: context.signal,
        onStep: (step, index) => {
          context.log(step);
          context.progress(index, DEMO_FILL_STEPS.length, step);
        },
      });
      const { imported, probed, analyzed } = filling;
      context.progress(DEMO_FILL_STEPS.length, DEMO_FILL_STEPS.length, 'done');
      context.log(`${imported.samplesAdded} samples and ${imported.chainsAdded} chains imported, ${probed.probed} clips probed, ${analyzed.clips.analyzed} analyzed (${analyzed.clips.failed} failed)`);
      return filling;
    },
  }),

  /** A trainer (LLaMA-Factory SFT, EasyR1 GRPO) on a frozen dataset: backend/engines/trainJob.ts. */
  train: kind({
    params: trainParams,
    title: trainTitle,
    run: runTrainJob,
  }),

  /** A model asked about a run's frozen samples (backend/inference/runInference.ts); a resume is another job on the same run. */
  infer: kind({
    params: inferParams,
    title: (params) => `ask the model: run ${params.runId}`,
    run: (params, context) => runInferenceJob(params, context),
  }),
} as const;

export type JobKindName = keyof typeof JOB_KINDS;
export type JobParams<K extends JobKindName> = Infer<(typeof JOB_KINDS)[K]['params']>;

export function isJobKind(name: string): name is JobKindName {
  return Object.hasOwn(JOB_KINDS, name);
}

/** Adds a queued job of this kind, its parameters checked and its title made from them: how every host makes a job (./supervisor.ts, ./foreground.ts). */
export function insertJobOfKind<K extends JobKindName>(db: WritableDB, projectPath: string, kind: K, params: JobParams<K>): JobRow {
  const definition = JOB_KINDS[kind];
  const checked = definition.params.parse(params);
  return insertJob(db, {
    kind,
    title: (definition.title as (params: unknown) => string)(checked),
    params: JSON.stringify(checked),
    logPathOf: (id) => jobLogPath(projectPath, id),
  });
}
