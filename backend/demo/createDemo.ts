// The embedded default project (`frustum demo`, README's first command): synthetic clips with
// exact ground truth, imported with their questions, O-T-A chains and RL records, probed, and
// read by the geometric analyzer, so a new user meets a living studio with no download.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProjectError } from '../../common/errors';
import { createProject } from '../../db/connection';
import { importFiles, type ImportReport } from '../formats/importFiles';
import { probeProjectClips, type ProjectProbeReport } from '../media/probeProject';
import { ANALYSIS_DEFAULTS, analyzeProject, type ProjectAnalysisReport } from '../motion/analyze';
import { synthesize, type SynthReport } from '../motion/synth/synthesize';

export interface DemoOptions {
  project: string;
  /** Replace an existing demo project (never any other file). */
  force?: boolean;
  count?: number;
  seed?: number;
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

  const db = createProject(project);
  try {
    options.onStep?.('importing questions, chains and RL records');
    const camerabench = readdirSync(join(clipsFolder, 'camerabench')).sort().map((name) => join(clipsFolder, 'camerabench', name));
    const imported = importFiles(
      db,
      // Training records first: a sample takes the split of the first file that names it.
      [join(clipsFolder, 'sft.json'), join(clipsFolder, 'rl.json'), join(clipsFolder, 'questions.json'), ...camerabench],
      { videosDir: clipsFolder },
    );
    options.onStep?.('probing clips');
    const probed = await probeProjectClips(db, { ...(options.signal ? { signal: options.signal } : {}) });
    // The analyzer's readings (the Review screen's motion timeline) and its drafts; drafts
    // never replace the imported chains, so the curated text stays the head.
    options.onStep?.('analyzing clips');
    const analyzed = await analyzeProject(db, {
      settings: { fps: ANALYSIS_DEFAULTS.fps, width: ANALYSIS_DEFAULTS.width, fovDegrees: 'auto' },
    });
    return {
      project,
      clipsFolder,
      synth: { out: synth.out, frames: synth.frames, elapsedMs: synth.elapsedMs, clips: synth.clips.length },
      imported,
      probed,
      analyzed,
    };
  } finally {
    db.close();
  }
}
