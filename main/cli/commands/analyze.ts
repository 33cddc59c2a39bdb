// `frustum analyze PROJECT|CLIP... [--json] [--scores DIR] [--force] [--fov DEG|auto] [--fps N] [--width PX] [--primitive P]`
// Clips: prints each clip's motion reading (top primitives, rates, an O-T-A draft). A project
// (.frustum): analyzes every clip its CameraBench questions name, saves a draft chain per
// question as an analyzer revision (never over a person's text), and with --scores writes one
// CameraBench score file per primitive so `frustum score DIR/*.json` grades the analyzer the
// way CameraBench grades a model. Readings are stored per clip (db/analysis.ts); a clip whose
// content, analyzer version and settings match a stored reading is not analyzed again unless
// --force.
import { isPrimitive, PRIMITIVES, type Primitive } from '../../../common/camerabench/primitives';
import { UsageError } from '../../../common/errors';
import { draftChain } from '../../../common/motion/draft';
import type { MotionReading } from '../../../common/motion/reading';
import { ANALYSIS_DEFAULTS, analyzeClips, type AnalysisSettings, type ClipAnalysis, type ProjectAnalysisReport } from '../../../backend/motion/analyze';
import { foregroundJobResult, runForegroundJob } from '../../../backend/jobs/foreground';
import { percent, printJson, printLines, table } from '../output';
import { startProgress } from '../progress';

export interface AnalyzeCommandOptions {
  json?: boolean;
  scores?: string;
  fov?: string;
  fps?: string;
  width?: string;
  /** Clip mode: the question the draft answers (default: the top-scoring primitive). */
  primitive?: string;
  /** Project mode: analyze clips again even where a stored reading matches. */
  force?: boolean;
}

function positiveNumber(text: string | undefined, name: string, fallback: number, maximum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > maximum) throw new UsageError(`--${name} must be a number above 0 and at most ${maximum}, got "${text}"`);
  return value;
}

function fovSetting(text: string | undefined): number | 'auto' {
  if (text === undefined || text === 'auto') return 'auto';
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 170) throw new UsageError(`--fov must be 'auto' or degrees above 0 and at most 170, got "${text}"`);
  return value;
}

export async function run(targets: string[], options: AnalyzeCommandOptions): Promise<void> {
  const settings = {
    fovDegrees: fovSetting(options.fov),
    fps: positiveNumber(options.fps, 'fps', ANALYSIS_DEFAULTS.fps, 60),
    width: Math.round(positiveNumber(options.width, 'width', ANALYSIS_DEFAULTS.width, 1920)),
  };
  if (options.primitive !== undefined && !isPrimitive(options.primitive)) {
    throw new UsageError(`--primitive must be one of ${PRIMITIVES.join(', ')}; got "${options.primitive}"`);
  }
  const projects = targets.filter((target) => target.endsWith('.frustum'));
  if (projects.length > 0 && projects.length !== targets.length) throw new UsageError('give either one project or clip files, not both');
  if (projects.length > 1) throw new UsageError('analyze takes one project at a time');
  if (projects[0] !== undefined) return runProject(projects[0], options, settings);
  if (options.scores !== undefined) throw new UsageError('--scores needs a project: the score files pair each clip with its questions and ground truth');
  if (options.force === true) throw new UsageError('--force needs a project: loose clips are always analyzed (nothing is stored for them)');
  return runClips(targets, options, settings);
}

type Settings = AnalysisSettings;

async function analyzeWithProgress(paths: readonly string[], settings: Settings, isJson: boolean): Promise<ClipAnalysis[]> {
  const progress = await startProgress('analyzing clips', isJson);
  try {
    return await analyzeClips(paths, { ...settings, onClip: (_, done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
}

/** The field of view and where it came from: a reading from before estimates has no source. */
function fovText(summary: MotionReading['summary']): string {
  const source = { given: 'given', estimated: 'estimated from the clip', default: 'assumed: the clip does not tell' }[summary.fovSource ?? 'given'];
  return `FOV ${summary.fovDegrees.toFixed(1)}°, ${source}`;
}

function topPrimitives(reading: MotionReading, count: number): Array<[Primitive, number]> {
  return PRIMITIVES.map((primitive): [Primitive, number] => [primitive, reading.scores[primitive]]).sort((left, right) => right[1] - left[1]).slice(0, count);
}

async function runClips(paths: string[], options: AnalyzeCommandOptions, settings: Settings): Promise<void> {
  const results = await analyzeWithProgress(paths, settings, options.json === true);
  const requested = options.primitive as Primitive | undefined;
  const withDrafts = results.map((result) => {
    if (!result.ok) return { ...result, draft: null };
    const primitive = requested ?? topPrimitives(result.reading, 1)[0]![0];
    return { ...result, draft: { primitive, ...draftChain(result.reading, { primitive }) } };
  });
  if (options.json) {
    printJson({ settings, clips: withDrafts });
  } else {
    const lines: string[] = [];
    for (const result of withDrafts) {
      if (!result.ok) {
        lines.push(`${result.path}: could not analyze: ${result.error}`);
        continue;
      }
      const { summary } = result.reading;
      lines.push(`${result.path}: ${summary.frameCount} frames at ${summary.fps} fps (${summary.width}×${summary.height}, ${fovText(summary)})`);
      lines.push('  top primitives');
      lines.push(...table(topPrimitives(result.reading, 4).map(([primitive, score]) => [primitive, score.toFixed(2)]), '    '));
      lines.push('  rates (clip means)');
      lines.push(...table([
        ['pan', `${summary.panDegreesPerSecond.toFixed(2)} °/s (right +)`],
        ['tilt', `${summary.tiltDegreesPerSecond.toFixed(2)} °/s (up +)`],
        ['roll', `${summary.rollDegreesPerSecond.toFixed(2)} °/s (clockwise +)`],
        ['zoom', `×${summary.zoomPerSecond.toFixed(3)} per second`],
        ['parallax', summary.parallax.toFixed(2)],
        ['shake', `${summary.shakeDegrees.toFixed(3)}° per frame`],
        ['tracks', `${Math.round(summary.meanTrackCount)} per pair, ${percent(summary.meanInlierRatio)} homography inliers`],
      ], '    '));
      if (result.draft) lines.push(`  draft for ${result.draft.primitive}:`, `    ${result.draft.text}`);
    }
    printLines(lines);
  }
}

async function runProject(project: string, options: AnalyzeCommandOptions, settings: Settings): Promise<void> {
  // A job of the project's (backend/jobs/foreground.ts), run in this process: the studio's Jobs
  // panel and `frustum jobs` see it, its log is kept, and `frustum cancel` or Ctrl+C stops it.
  const progress = await startProgress('analyzing clips', options.json === true);
  let job;
  try {
    job = await runForegroundJob(project, 'analyze', {
      settings,
      ...(options.force === true ? { force: true } : {}),
      ...(options.scores !== undefined ? { scoresDir: options.scores } : {}),
    }, { onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
  const analysis = foregroundJobResult(job, project) as ProjectAnalysisReport;
  const report = { project, ...analysis };
  if (options.json) printJson(report);
  else {
    printLines([
      `${project}: ${report.samples} CameraBench questions over ${report.clipsOnDisk} clips on disk`,
      ...table([
        ['clips analyzed', report.clips.analyzed],
        ['clips reused (stored reading still current; --force redoes)', report.clips.reused],
        ['clips failed', report.clips.failed],
        ['questions without a clip on disk', report.clips.notOnDisk],
        ['analyzer drafts saved', report.drafts.saved],
        ['chains kept (written by a person or imported)', report.drafts.keptPersonText],
      ]),
      ...report.failures.map((failure) => `  ! ${failure.clip}: ${failure.error}`),
      ...(report.scoreFiles.length > 0 ? [`score files in ${options.scores}: ${report.scoreFiles.length} (grade them with: frustum score ${options.scores}/*.json)`] : []),
    ]);
  }
}
