// `frustum analyze PROJECT|CLIP... [--json] [--scores DIR] [--force] [--fov DEG] [--fps N] [--width PX] [--primitive P]`
// Clips: prints each clip's motion reading (top primitives, rates, an O-T-A draft). A project
// (.frustum): analyzes every clip its CameraBench questions name, saves a draft chain per
// question as an analyzer revision (never over a person's text), and with --scores writes one
// CameraBench score file per primitive so `frustum score DIR/*.json` grades the analyzer the
// way CameraBench grades a model. Readings are stored per clip (db/analysis.ts); a clip whose
// content, analyzer version and settings match a stored reading is not analyzed again unless
// --force.
import { basename } from 'node:path';
import { isPrimitive, letterOfOption, PRIMITIVES, yesNoOfOption, type Primitive } from '../../../common/camerabench/primitives';
import { UsageError } from '../../../common/errors';
import { draftChain } from '../../../common/motion/draft';
import { DEFAULT_FOV_DEGREES } from '../../../common/motion/geometry';
import type { MotionReading } from '../../../common/motion/reading';
import { ANALYZER_MODEL_NAME, type AnalyzerQuestion, type ClipOutcome } from '../../../common/motion/scoreFiles';
import { fileIdentity, hashFile, parseStoredProbe, probeClip } from '../../../backend/media';
import { ANALYSIS_DEFAULTS, analyzeClips, writeAnalyzerScoreFiles, type ClipAnalysis } from '../../../backend/motion/analyze';
import { CURRENT_ANALYZER, findClipAnalysis, samplesForAnalysis, saveAnalyzerDraft, saveClipAnalysis } from '../../../db/analysis';
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
  /** Project mode: analyze clips again even where a stored reading matches. */
  force?: boolean;
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
  if (options.force === true) throw new UsageError('--force needs a project: loose clips are always analyzed (nothing is stored for them)');
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

interface ProjectClip {
  clipId: number;
  name: string;
  path: string;
  contentHash: string | null;
  fileSize: number | null;
  fileMtime: string | null;
  probe: string | null;
}

/** What a reading is keyed by: the file's sha256 (the stored one while size and mtime match) and its own frame rate. */
async function clipIdentity(clip: ProjectClip): Promise<{ contentHash: string; clipFps: number }> {
  const identity = await fileIdentity(clip.path);
  const isUnchanged = clip.contentHash !== null && clip.fileSize === identity.size && clip.fileMtime === identity.mtime;
  const contentHash = isUnchanged && clip.contentHash !== null ? clip.contentHash : await hashFile(clip.path);
  let probe = isUnchanged ? parseStoredProbe(clip.probe) : null;
  if (probe === null) {
    const probed = await probeClip(clip.path);
    if (!probed.ok) throw new Error(probed.reason);
    probe = probed.probe;
  }
  const clipFps = probe.averageFrameRate > 0 ? probe.averageFrameRate : probe.realFrameRate;
  if (!(clipFps > 0)) throw new Error('has no frame rate (ffprobe reports none)');
  return { contentHash, clipFps };
}

async function runProject(project: string, options: AnalyzeCommandOptions, settings: Settings): Promise<void> {
  const db = openProject(project);
  try {
    const samples = samplesForAnalysis(db).filter((sample) => sample.primitive !== null && isPrimitive(sample.primitive));
    const clips = new Map<number, ProjectClip>();
    for (const sample of samples) {
      if (sample.clip_id === null || sample.media_status !== 'ok' || sample.file_path === null || clips.has(sample.clip_id)) continue;
      clips.set(sample.clip_id, {
        clipId: sample.clip_id, name: sample.clip_name ?? sample.file_path, path: sample.file_path,
        contentHash: sample.content_hash, fileSize: sample.file_size, fileMtime: sample.file_mtime, probe: sample.probe,
      });
    }
    const analyzer = CURRENT_ANALYZER;
    const readings = new Map<number, MotionReading>();
    const errors = new Map<number, string>();
    const toAnalyze: Array<{ clip: ProjectClip; contentHash: string; clipFps: number }> = [];
    let reused = 0;
    for (const clip of clips.values()) {
      let identity;
      try {
        identity = await clipIdentity(clip);
      } catch (error) {
        errors.set(clip.clipId, `${clip.path}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const stored = options.force ? null : findClipAnalysis(db, clip.clipId, { analyzer, settings, contentHash: identity.contentHash });
      if (stored === null) {
        toAnalyze.push({ clip, ...identity });
        continue;
      }
      // An older row (other settings were used since) becomes the clip's current reading again.
      if (!stored.isNewest) saveClipAnalysis(db, clip.clipId, stored.analysis);
      readings.set(clip.clipId, stored.analysis.reading);
      reused += 1;
    }
    const paths = toAnalyze.map((entry) => entry.clip.path);
    const results = await analyzeWithProgress(paths, settings, options.json === true);
    results.forEach((result, index) => {
      const entry = toAnalyze[index]!;
      if (!result.ok) {
        errors.set(entry.clip.clipId, result.error);
        return;
      }
      // Each reading is saved on its own (one statement, atomic): an interrupted run keeps the clips it finished.
      saveClipAnalysis(db, entry.clip.clipId, { analyzer, settings, contentHash: entry.contentHash, clipFps: entry.clipFps, reading: result.reading });
      readings.set(entry.clip.clipId, result.reading);
    });
    const outcomeOfSample = (sample: (typeof samples)[number]): ClipOutcome => {
      if (sample.clip_id === null || sample.file_path === null || sample.media_status !== 'ok') return { error: `clip ${sample.clip_name ?? sample.clip_ref ?? '?'} is ${sample.media_status ?? 'not linked'}` };
      const reading = readings.get(sample.clip_id);
      if (reading) return { scores: reading.scores };
      return { error: errors.get(sample.clip_id) ?? 'not analyzed' };
    };
    let saved = 0;
    let keptPersonText = 0;
    const questions: AnalyzerQuestion[] = [];
    const outcomes = new Map<string, ClipOutcome>();
    for (const sample of samples) {
      const primitive = sample.primitive as Primitive;
      const chainOptions = JSON.parse(sample.options) as string[];
      const outcome = outcomeOfSample(sample);
      const reading = sample.clip_id === null ? undefined : readings.get(sample.clip_id);
      // A question whose options have no Yes and No letter cannot be answered by a draft.
      const hasYesNo = chainOptions.some((text) => yesNoOfOption(text) === 'yes') && chainOptions.some((text) => yesNoOfOption(text) === 'no');
      if (reading && hasYesNo) {
        const draft = draftChain(reading, { primitive, options: chainOptions });
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
    const failures = [...errors.entries()].map(([clipId, error]) => ({ clip: clips.get(clipId)?.name ?? String(clipId), error }));
    const report = {
      project,
      settings,
      analyzer,
      samples: samples.length,
      clips: {
        analyzed: results.filter((result) => result.ok).length,
        reused,
        failed: failures.length,
        notOnDisk: samples.filter((sample) => sample.media_status !== 'ok').length,
      },
      failures,
      drafts: { saved, keptPersonText },
      scoreFiles: files,
    };
    if (options.json) printJson(report);
    else {
      printLines([
        `${project}: ${samples.length} CameraBench questions over ${clips.size} clips on disk`,
        ...table([
          ['clips analyzed', report.clips.analyzed],
          ['clips reused (stored reading still current; --force redoes)', reused],
          ['clips failed', report.clips.failed],
          ['questions without a clip on disk', report.clips.notOnDisk],
          ['analyzer drafts saved', saved],
          ['chains kept (written by a person or imported)', keptPersonText],
        ]),
        ...failures.map((failure) => `  ! ${failure.clip}: ${failure.error}`),
        ...(files.length > 0 ? [`score files in ${options.scores}: ${files.length} (grade them with: frustum score ${options.scores}/*.json)`] : []),
      ]);
    }
  } finally {
    db.close();
  }
}
