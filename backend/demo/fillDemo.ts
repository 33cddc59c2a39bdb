// The demo project's filling, once its clips are rendered and its file exists: their questions,
// chains and RL records imported, the clips probed and read by the analyzer. It runs as the demo's
// job (backend/jobs/kinds.ts 'demo'), so the studio's Jobs panel shows how the demo was built.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WritableDB } from '../../db/connection';
import { importFiles, type ImportReport } from '../formats/importFiles';
import { probeProjectClips, type ProjectProbeReport } from '../media/probeProject';
import { ANALYSIS_DEFAULTS, analyzeProject, type ProjectAnalysisReport } from '../motion/analyze';

export interface DemoFilling {
  imported: ImportReport;
  probed: ProjectProbeReport;
  analyzed: ProjectAnalysisReport;
}

/** The steps, in order, as `frustum demo` prints them. */
export const DEMO_FILL_STEPS = ['importing questions, chains and RL records', 'probing clips', 'analyzing clips'] as const;

export async function fillDemoProject(db: WritableDB, clipsFolder: string, options: { signal?: AbortSignal; onStep?: (step: (typeof DEMO_FILL_STEPS)[number], index: number) => void } = {}): Promise<DemoFilling> {
  const signal = options.signal ? { signal: options.signal } : {};
  options.onStep?.(DEMO_FILL_STEPS[0], 0);
  const camerabench = readdirSync(join(clipsFolder, 'camerabench')).sort().map((name) => join(clipsFolder, 'camerabench', name));
  const imported = importFiles(
    db,
    // Training records first: a sample takes the split of the first file that names it.
    [join(clipsFolder, 'sft.json'), join(clipsFolder, 'rl.json'), join(clipsFolder, 'questions.json'), ...camerabench],
    { videosDir: clipsFolder },
  );
  options.onStep?.(DEMO_FILL_STEPS[1], 1);
  const probed = await probeProjectClips(db, signal);
  // The analyzer's readings (the Review screen's motion timeline) and its drafts; drafts
  // never replace the imported chains, so the curated text stays the head.
  options.onStep?.(DEMO_FILL_STEPS[2], 2);
  const analyzed = await analyzeProject(db, {
    settings: { fps: ANALYSIS_DEFAULTS.fps, width: ANALYSIS_DEFAULTS.width, fovDegrees: 'auto' },
    ...signal,
  });
  return { imported, probed, analyzed };
}
