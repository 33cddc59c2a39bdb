// The embedded default project (`frustum demo`, README's first command): synthetic clips with
// exact ground truth, imported with their questions, O-T-A chains and RL records, probed, and
// read by the geometric analyzer, so a new user meets a living studio with no download.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProjectError } from '../../common/errors';
import { createProject } from '../../db/connection';
import type { ImportReport } from '../formats/importFiles';
import { runsFolder } from '../engines/runFolder';
import { jobsFolder } from '../jobs/control';
import { foregroundJobResult, runForegroundJob } from '../jobs/foreground';
import type { ProjectProbeReport } from '../media/probeProject';
import type { ProjectAnalysisReport } from '../motion/analyze';
import { synthesize, type SynthReport } from '../motion/synth/synthesize';
import type { DemoFilling } from './fillDemo';

export interface DemoOptions {
  project: string;
  /** Replace an existing demo project (never any other file). */
  force?: boolean;
  count?: number;
  seed?: number;
  /** Stops the rendering; once the project exists its job stops on SIGTERM/SIGINT (`frustum cancel`, Ctrl+C). */
  signal?: AbortSignal;
  onStep?: (step: string) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoReport {
  project: string;
  clipsFolder: string;
  synth: Pick<SynthReport, 'out' | 'frames' | 'elapsedMs'> & { clips: number };
  imported: ImportReport;
  probed: ProjectProbeReport;
  analyzed: ProjectAnalysisReport;
}

/** Small enough to build in seconds on two cores, large enough to show every primitive. */
export const DEMO_DEFAULTS = { count: 16, seed: 2026, width: 320, height: 180, fps: 25, durationSeconds: 2 } as const;

export async function createDemo(options: DemoOptions): Promise<DemoReport> {
  const project = resolve(options.project);
  const clipsFolder = join(dirname(project), 'demo-clips');
  if (existsSync(project)) {
    if (!options.force) throw new ProjectError(project, 'already exists; pass --force to rebuild the demo');
    for (const suffix of ['', '-wal', '-shm']) rmSync(project + suffix, { force: true });
    // The old demo's job logs and training runs went with its jobs table.
    rmSync(jobsFolder(project), { recursive: true, force: true });
    rmSync(runsFolder(project), { recursive: true, force: true });
  }
  if (existsSync(clipsFolder)) rmSync(clipsFolder, { recursive: true, force: true });

  options.onStep?.('rendering synthetic clips');
  const synth = await synthesize({
    out: clipsFolder,
    count: options.count ?? DEMO_DEFAULTS.count,
    seed: options.seed ?? DEMO_DEFAULTS.seed,
    width: DEMO_DEFAULTS.width,
    height: DEMO_DEFAULTS.height,
    fps: DEMO_DEFAULTS.fps,
    durationSeconds: DEMO_DEFAULTS.durationSeconds,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });

  createProject(project).close();
  // The rest is the demo's job (backend/jobs 'demo'), run in this process: the studio's Jobs panel
  // shows how the demo was built, with its log. Its steps come back as the job's progress.
  let lastStep = '';
  const job = await runForegroundJob(project, 'demo', { clipsFolder, count: synth.clips.length, seed: options.seed ?? DEMO_DEFAULTS.seed }, {
    onProgress: (_done, _total, message) => {
      if (message === lastStep || message === 'done') return;
      lastStep = message;
      options.onStep?.(message);
    },
  });
  const { imported, probed, analyzed } = foregroundJobResult(job, project) as DemoFilling;
  return {
    project,
    clipsFolder,
    synth: { out: synth.out, frames: synth.frames, elapsedMs: synth.elapsedMs, clips: synth.clips.length },
    imported,
    probed,
    analyzed,
  };
}
