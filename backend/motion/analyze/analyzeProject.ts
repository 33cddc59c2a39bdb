// The analyzer over a whole project (`frustum analyze PROJECT`, `frustum demo`): every clip on
// disk that has CameraBench questions is read once (a stored reading is reused while the clip's
// content, the analyzer version and the settings match), each reading is stored, each question
// gets an analyzer draft where no person or import wrote its chain, and optionally CameraBench
// score files are written so `frustum score` grades the analyzer as the benchmark grades a model.
import { basename } from 'node:path';
import { isPrimitive, letterOfOption, yesNoOfOption, type Primitive } from '../../../common/camerabench/primitives';
import { draftChain } from '../../../common/motion/draft';
import type { MotionReading } from '../../../common/motion/reading';
import { ANALYZER_MODEL_NAME, type AnalyzerQuestion, type ClipOutcome } from '../../../common/motion/scoreFiles';
import { CURRENT_ANALYZER, findClipAnalysis, samplesForAnalysis, saveAnalyzerDraft, saveClipAnalysis, type AnalysisSettings, type AnalyzerIdentity, type ClipAnalysisRecord } from '../../../db/analysis';
import { saveClipMedia, type ClipMediaUpdate } from '../../../db/clips';
import type { WritableDB } from '../../../db/connection';
import { EVIDENCE_VERSION, saveClipEvidence } from '../../../db/evidence';
import { writeTransaction } from '../../../db/writers';
import { fileIdentity, hashFile, parseStoredProbe, probeClip, type ClipProbe } from '../../media';
import { confinedClipFile, isRefusal } from '../../media/confine';
import { analyzeClipsWithEvidence } from './analyzeClips';
import { EVIDENCE_DIMS } from './evidence';
import { writeAnalyzerScoreFiles } from './scoreFiles';

export type { AnalysisSettings } from '../../../db/analysis';

export interface ProjectAnalysisOptions {
  settings: AnalysisSettings;
  /** Analyze again even where a stored reading matches. */
  force?: boolean;
  /** Write CameraBench score files for the analyzer into this folder. */
  scoresDir?: string;
  onClip?: (done: number, total: number) => void;
  /** A cancel (`frustum cancel`, Ctrl+C, the studio's Jobs panel): the run stops at the next clip, its decoders killed, and throws. */
  signal?: AbortSignal;
}

export interface ProjectAnalysisReport {
  settings: AnalysisSettings;
  analyzer: AnalyzerIdentity;
  samples: number;
  clipsOnDisk: number;
  clips: { analyzed: number; reused: number; failed: number; notOnDisk: number };
  failures: Array<{ clip: string; error: string }>;
  drafts: { saved: number; keptPersonText: number };
  scoreFiles: string[];
}

/** A clip file as the store knows it: what it was when last hashed and probed. */
export interface StoredClipFile {
  path: string;
  contentHash: string | null;
  fileSize: number | null;
  fileMtime: string | null;
  probe: string | null;
}

/**
 * What a reading is keyed by: the file's sha256 (the stored one while size and mtime match, so
 * an unchanged clip is not hashed again) and its own frame rate. Throws with a reason.
 */
export async function clipIdentity(clip: StoredClipFile, signal?: AbortSignal): Promise<{ contentHash: string; clipFps: number; probe: ClipProbe }> {
  const identity = await fileIdentity(clip.path);
  const isUnchanged = clip.contentHash !== null && clip.fileSize === identity.size && clip.fileMtime === identity.mtime;
  const contentHash = isUnchanged && clip.contentHash !== null ? clip.contentHash : await hashFile(clip.path, signal ? { signal } : {});
  let probe = isUnchanged ? parseStoredProbe(clip.probe) : null;
  if (probe === null) {
    const probed = await probeClip(clip.path, signal ? { signal } : {});
    if (!probed.ok) throw new Error(probed.reason);
    probe = probed.probe;
  }
  const clipFps = probe.averageFrameRate > 0 ? probe.averageFrameRate : probe.realFrameRate;
  if (!(clipFps > 0)) throw new Error('has no frame rate (ffprobe reports none)');
  return { contentHash, clipFps, probe };
}

/**
 * A reading and the evidence tracked with it, under the same clip content and sampling, in one
 * transaction: a reading stored without its evidence would be reused by the next run while the
 * evidence stayed missing.
 */
export function saveReadingAndEvidence(db: WritableDB, clipId: number, record: ClipAnalysisRecord, evidence: readonly Float32Array[]): void {
  writeTransaction(db, () => {
    saveClipAnalysis(db, clipId, record);
    saveClipEvidence(db, clipId, {
      version: EVIDENCE_VERSION,
      contentHash: record.contentHash,
      settings: { fps: record.settings.fps, width: record.settings.width },
      fps: record.settings.fps,
      pairs: evidence,
      dims: EVIDENCE_DIMS,
    });
  });
}

interface ProjectClip extends StoredClipFile {
  clipId: number;
  name: string;
}

export async function analyzeProject(db: WritableDB, options: ProjectAnalysisOptions): Promise<ProjectAnalysisReport> {
  const { settings } = options;
  const samples = samplesForAnalysis(db).filter((sample) => sample.primitive !== null && isPrimitive(sample.primitive));
  const clips = new Map<number, ProjectClip>();
  const errors = new Map<number, string>();
  const refused: ClipMediaUpdate[] = [];
  const names = new Map<number, string>();
  for (const sample of samples) {
    if (sample.clip_id === null || sample.media_status !== 'ok' || sample.file_path === null || clips.has(sample.clip_id) || errors.has(sample.clip_id)) continue;
    const name = sample.clip_name ?? sample.file_path;
    names.set(sample.clip_id, name);
    // Only a regular file inside the clip's folder is decoded (backend/media/confine.ts); a clip
    // that fails the check is marked as such, with the reason, and the rest go on.
    const file = confinedClipFile(db, { id: sample.clip_id, name, file_path: sample.file_path, media_root: sample.media_root });
    if (isRefusal(file)) {
      errors.set(sample.clip_id, file.reason);
      refused.push({ id: sample.clip_id, status: file.status, reason: file.reason });
      continue;
    }
    clips.set(sample.clip_id, {
      clipId: sample.clip_id, name, path: file.realPath,
      contentHash: sample.content_hash, fileSize: sample.file_size, fileMtime: sample.file_mtime, probe: sample.probe,
    });
  }
  if (refused.length > 0) saveClipMedia(db, refused);
  const analyzer = CURRENT_ANALYZER;
  const readings = new Map<number, MotionReading>();
  const toAnalyze: Array<{ clip: ProjectClip; contentHash: string; clipFps: number; probe: ClipProbe }> = [];
  let reused = 0;
  for (const clip of clips.values()) {
    options.signal?.throwIfAborted();
    let identity;
    try {
      identity = await clipIdentity(clip, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
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
  // clipIdentity's probe (the stored one while the file is unchanged, else a fresh one): decoding need not run ffprobe again.
  // Evidence (./evidence.ts) comes from the same tracking; a reused reading's clip may still lack
  // it (analyzed before evidence existed): ensureClipEvidence (./projectEvidence.ts) fills those.
  const results = await analyzeClipsWithEvidence(toAnalyze.map((entry) => ({ path: entry.clip.path, probe: entry.probe })), {
    ...settings,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onClip ? { onClip: (_: unknown, done: number, total: number) => options.onClip?.(done, total) } : {}),
  });
  results.forEach((result, index) => {
    const entry = toAnalyze[index]!;
    if (!result.ok) {
      errors.set(entry.clip.clipId, result.error);
      return;
    }
    // Each clip is saved on its own: an interrupted run keeps the clips it finished.
    saveReadingAndEvidence(db, entry.clip.clipId, { analyzer, settings, contentHash: entry.contentHash, clipFps: entry.clipFps, reading: result.reading }, result.evidence);
    readings.set(entry.clip.clipId, result.reading);
  });

  const outcomeOfSample = (sample: (typeof samples)[number]): ClipOutcome => {
    if (sample.clip_id === null || sample.file_path === null || sample.media_status !== 'ok') return { error: `clip ${sample.clip_name ?? sample.clip_ref ?? '?'} is ${sample.media_status ?? 'not linked'}` };
    const reading = readings.get(sample.clip_id);
    if (reading) return { scores: reading.scores };
    return { error: errors.get(sample.clip_id) ?? 'not analyzed' };
  };
  options.signal?.throwIfAborted();
  let saved = 0;
  let keptPersonText = 0;
  const questions: AnalyzerQuestion[] = [];
  const outcomes = new Map<string, ClipOutcome>();
  for (const sample of samples) {
    const primitive = sample.primitive as Primitive;
    const chainOptions = JSON.parse(sample.options) as string[];
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
    outcomes.set(sampleId, outcomeOfSample(sample));
  }
  const scoreFiles = options.scoresDir === undefined
    ? []
    : writeAnalyzerScoreFiles(options.scoresDir, questions, (question) => outcomes.get(question.sampleId) ?? { error: 'not analyzed' });
  const failures = [...errors.entries()].map(([clipId, error]) => ({ clip: names.get(clipId) ?? String(clipId), error }));
  return {
    settings,
    analyzer,
    samples: samples.length,
    clipsOnDisk: clips.size,
    clips: {
      analyzed: results.filter((result) => result.ok).length,
      reused,
      failed: failures.length,
      notOnDisk: samples.filter((sample) => sample.media_status !== 'ok').length,
    },
    failures,
    drafts: { saved, keptPersonText },
    scoreFiles,
  };
}
