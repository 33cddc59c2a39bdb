// `frustum analyze PROJECT|CLIP... [--json] [--scores DIR] [--fov DEG] [--fps N] [--width PX] [--primitive P]`
// Clips: prints each clip's motion reading (top primitives, rates, an O-T-A draft). A project
// (.frustum): analyzes every clip its CameraBench questions name, saves a draft chain per
// question as an analyzer revision (never over a person's text), and with --scores writes one
// CameraBench score file per primitive so `frustum score DIR/*.json` grades the analyzer the
// way CameraBench grades a model.
import { basename } from 'node:path';
import { isPrimitive, letterOfOption, PRIMITIVES, yesNoOfOption, type Primitive } from '../../../common/camerabench/primitives';
import { UsageError } from '../../../common/errors';
import { draftChain } from '../../../common/motion/draft';
import { DEFAULT_FOV_DEGREES } from '../../../common/motion/geometry';
import type { MotionReading } from '../../../common/motion/reading';
import { ANALYZER_MODEL_NAME, type AnalyzerQuestion, type ClipOutcome } from '../../../common/motion/scoreFiles';
import { ANALYSIS_DEFAULTS, analyzeClips, writeAnalyzerScoreFiles, type ClipAnalysis } from '../../../backend/motion/analyze';
import { samplesForAnalysis, saveAnalyzerDraft } from '../../../db/analysis';
import { openProject } from '../../../db/connection';
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
}

function positiveNumber(text: string | undefined, name: string, fallback: number, maximum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > maximum) throw new UsageError(`--${name} must be a number above 0 and at most ${maximum}, got "${text}"`);
  return value;
}

export async function run(targets: string[], options: AnalyzeCommandOptions): Promise<void> {
  const settings = {
    fovDegrees: positiveNumber(options.fov, 'fov', DEFAULT_FOV_DEGREES, 170),
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
  return runClips(targets, options, settings);
}

interface Settings {
  fovDegrees: number;
  fps: number;
  width: number;
}

async function analyzeWithProgress(paths: readonly string[], settings: Settings, isJson: boolean): Promise<ClipAnalysis[]> {
  const progress = await startProgress('analyzing clips', isJson);
  try {
    return await analyzeClips(paths, { ...settings, onClip: (_, done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
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
      lines.push(`${result.path}: ${summary.frameCount} frames at ${summary.fps} fps (${summary.width}×${summary.height}, FOV ${summary.fovDegrees}°)`);
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
  const db = openProject(project);
  try {
    const samples = samplesForAnalysis(db).filter((sample) => sample.primitive !== null && isPrimitive(sample.primitive));
    const paths = [...new Set(samples.flatMap((sample) => (sample.media_status === 'ok' && sample.file_path !== null ? [sample.file_path] : [])))];
    const results = await analyzeWithProgress(paths, settings, options.json === true);
    const byPath = new Map(results.map((result) => [result.path, result]));
    const outcomeOfSample = (sample: (typeof samples)[number]): ClipOutcome => {
      if (sample.file_path === null || sample.media_status !== 'ok') return { error: `clip ${sample.clip_name ?? sample.clip_ref ?? '?'} is ${sample.media_status ?? 'not linked'}` };
      const result = byPath.get(sample.file_path);
      if (!result) return { error: 'not analyzed' };
      return result.ok ? { scores: result.reading.scores } : { error: result.error };
    };
    let saved = 0;
    let keptPersonText = 0;
    const questions: AnalyzerQuestion[] = [];
    const outcomes = new Map<string, ClipOutcome>();
    for (const sample of samples) {
      const primitive = sample.primitive as Primitive;
      const chainOptions = JSON.parse(sample.options) as string[];
      const outcome = outcomeOfSample(sample);
      const result = sample.file_path === null ? undefined : byPath.get(sample.file_path);
      if (result?.ok) {
        const draft = draftChain(result.reading, { primitive, options: chainOptions });
        const drafted = saveAnalyzerDraft(db, sample.id, draft.text, ANALYZER_MODEL_NAME);
        if (drafted === 'kept-other-author') keptPersonText += 1;
        else if (drafted === 'saved') saved += 1;
      }
      const truthOption = chainOptions.find((text) => letterOfOption(text) === sample.answer);
      const truth = truthOption === undefined ? null : yesNoOfOption(truthOption);
      if (truth === null || sample.clip_ref === null) continue;
      const sampleId = sample.problem_id ?? sample.key;
      questions.push({ sampleId, primitive, videoPath: basename(sample.clip_ref), question: sample.question, groundTruth: truth === 'yes' ? 'Yes' : 'No' });
      outcomes.set(sampleId, outcome);
    }
    const files = options.scores === undefined
      ? []
      : writeAnalyzerScoreFiles(options.scores, questions, (question) => outcomes.get(question.sampleId) ?? { error: 'not analyzed' });
    const report = {
      project,
      settings,
      samples: samples.length,
      clips: { analyzed: results.filter((result) => result.ok).length, failed: results.filter((result) => !result.ok).length, notOnDisk: samples.filter((sample) => sample.media_status !== 'ok').length },
      drafts: { saved, keptPersonText },
      scoreFiles: files,
    };
    if (options.json) printJson(report);
    else {
      printLines([
        `${project}: ${samples.length} CameraBench questions over ${paths.length} clips on disk`,
        ...table([
          ['clips analyzed', report.clips.analyzed],
          ['clips failed', report.clips.failed],
          ['questions without a clip on disk', report.clips.notOnDisk],
          ['analyzer drafts saved', saved],
          ['chains kept (written by a person or imported)', keptPersonText],
        ]),
        ...(files.length > 0 ? [`score files in ${options.scores}: ${files.length} (grade them with: frustum score ${options.scores}/*.json)`] : []),
      ]);
    }
  } finally {
    db.close();
  }
}
