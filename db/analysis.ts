// What the geometric analyzer reads from a project and how it saves its drafts. Analyzer
// drafts are chain revisions by author_kind 'analyzer'; they never replace a person's text:
// a sample whose head revision a person (or an import of curated data) wrote keeps its head.
//
// The readings themselves live in clip_analyses (migration 3): one row per clip, analyzer
// version, settings and clip content; a clip's newest row is its current reading. They are
// what `frustum analyze` reuses instead of re-analyzing, what the Review screen plots
// (loadClipAnalysis, in the contract's ClipAnalysis shape) and what chains are checked against
// (common/motion/chainCheck.ts).
import { array, enum as zodEnum, literal, looseObject, number, object, record, union, type ZodType } from 'zod';
import type { ClipAnalysis } from '../common/api/contract';
import { isPrimitive, PRIMITIVES } from '../common/camerabench/primitives';
import { ProjectError } from '../common/errors';
import { parseStringArray } from '../common/formats/jsonText';
import { checkChainAgainstReading, unreliableReason, type ChainContradiction, type QuestionForCheck } from '../common/motion/chainCheck';
import { draftChain } from '../common/motion/draft';
import type { MotionReading } from '../common/motion/reading';
import { ANALYZER_MODEL_NAME } from '../common/motion/scoreFiles';
import type { ReadableDB, WritableDB } from './connection';
import { appendRevision } from './chains';
import { now, statement } from './statements';
import { writeTransaction } from './writers';

export interface AnalysisSampleRow {
  id: number;
  key: string;
  problem_id: string | null;
  question: string;
  /** JSON array of option strings. */
  options: string;
  answer: string | null;
  primitive: string | null;
  clip_id: number | null;
  clip_ref: string | null;
  clip_name: string | null;
  file_path: string | null;
  media_status: string | null;
  media_root: string | null;
  /** What `frustum probe` last stored: sha256, size and mtime of the file, and the probe JSON. */
  content_hash: string | null;
  file_size: number | null;
  file_mtime: string | null;
  probe: string | null;
  /** Author kind of the current chain, null without one. */
  head_author_kind: string | null;
}

/** Samples with a CameraBench primitive, in id order, with their clip's file. */
export function samplesForAnalysis(db: ReadableDB): AnalysisSampleRow[] {
  return statement<[], AnalysisSampleRow>(
    db,
    `SELECT s.id, s.key, s.problem_id, s.question, s.options, s.answer, s.primitive,
            c.id AS clip_id, c.ref AS clip_ref, c.name AS clip_name, c.file_path, c.media_status, c.media_root,
            c.content_hash, c.file_size, c.file_mtime, c.probe,
            r.author_kind AS head_author_kind
       FROM samples s
       LEFT JOIN clips c ON c.id = s.clip_id
       LEFT JOIN chain_revisions r ON r.id = s.head_revision_id
      WHERE s.primitive IS NOT NULL
      ORDER BY s.id`,
  ).all();
}

/**
 * Saves an analyzer draft as a new head only where the sample has no chain or its chain is an
 * earlier analyzer draft; returns null (nothing written) where anyone else wrote the head.
 * The check and the append share one transaction, so a person's save in between is never
 * buried under a draft.
 */
export type DraftOutcome = 'saved' | 'unchanged' | 'kept-other-author';

export function saveAnalyzerDraft(db: WritableDB, sampleId: number, text: string, analyzerName: string): DraftOutcome {
  // IMMEDIATE (db/writers.ts): the head is read under the write lock, so the check still holds
  // when the draft is appended, whoever else writes the project.
  return writeTransaction(db, () => {
    const head = statement<[number], { author_kind: string | null; text: string | null }>(
      db,
      'SELECT r.author_kind, r.text FROM samples s LEFT JOIN chain_revisions r ON r.id = s.head_revision_id WHERE s.id = ?',
    ).get(sampleId);
    if (!head) throw new Error(`no sample ${sampleId}`);
    if (head.author_kind !== null && head.author_kind !== 'analyzer') return 'kept-other-author';
    // Re-running the analyzer on an unchanged clip must not grow the history.
    if (head.text === text) return 'unchanged';
    appendRevision(db, sampleId, text, { kind: 'analyzer', name: analyzerName });
    return 'saved';
  });
}

// ---------------------------------------------------------------------------------------------
// Stored readings (clip_analyses)

export interface AnalyzerIdentity {
  /** ANALYZER_MODEL_NAME for the geometric analyzer. */
  name: string;
  /** Bumped whenever the analyzer's output for the same frames may change. */
  version: string;
}

/**
 * The geometric analyzer as stored with each reading; a stored reading is reused only while
 * this matches. Bump the version with any change to backend/motion/analyze or common/motion
 * that may change a reading of the same frames, else projects keep readings of the older code.
 * It lives here, beside the table, so every host that stores readings (`frustum analyze`, the
 * studio's `clip.analyze`) uses the same one and reuses the others' readings.
 */
// 2: rotation+zoom separated from travel by a depth-ordered fit (common/motion/travel.ts).
// 3: readings whose depths put the top of the frame nearest pay for it; dolly in/out always
//    compete; 9 × 9 tracking windows.
// 4: the field of view is read from the clip unless given (settings fovDegrees 'auto'); pan,
//    tilt and shake are scored in a 60° lens's degrees.
export const CURRENT_ANALYZER: Readonly<AnalyzerIdentity> = { name: ANALYZER_MODEL_NAME, version: '4' };

/** What the reading depends on besides the clip and the analyzer. */
export interface AnalysisSettings {
  fps: number;
  width: number;
  /** Horizontal field of view in degrees, or 'auto': read from each clip. */
  fovDegrees: number | 'auto';
}

export interface ClipAnalysisRecord {
  analyzer: AnalyzerIdentity;
  settings: AnalysisSettings;
  /** sha256 of the clip file that was analyzed. */
  contentHash: string;
  /** The clip's own frame rate, for the timeline's frame → clip frame mapping. */
  clipFps: number;
  reading: MotionReading;
}

export interface StoredClipAnalysis extends ClipAnalysisRecord {
  id: number;
  clipId: number;
  createdAt: string;
}

/** Settings as stored and compared: fixed key order, so equal settings are equal text. */
function settingsJson(settings: AnalysisSettings): string {
  return JSON.stringify({ fps: settings.fps, width: settings.width, fovDegrees: settings.fovDegrees });
}

// Stored JSON is read back through these schemas: the file may have been written by another
// Frustum version or edited by hand, and a reading that does not parse must be reported, not
// plotted half-way. Loose objects keep fields a newer analyzer adds (the reading only grows).
const finite = number().refine(Number.isFinite, 'not a finite number');
const primitiveScores = record(zodEnum(PRIMITIVES), finite);
const storedTimelinePoint = looseObject({
  frame: finite, time: finite,
  panDegreesPerSecond: finite, tiltDegreesPerSecond: finite, rollDegreesPerSecond: finite,
  zoomPerSecond: finite, driftPercentX: finite, driftPercentY: finite,
  translation: object({ x: finite, y: finite, z: finite }).nullable(),
  translationPercent: finite, parallax: finite, shake: finite, inlierRatio: finite, trackCount: finite,
});
const storedSegment = looseObject({
  firstFrame: finite, lastFrame: finite, startSeconds: finite, endSeconds: finite,
  primitive: union([zodEnum(PRIMITIVES), literal('still')]),
  panDegreesPerSecond: finite, tiltDegreesPerSecond: finite, rollDegreesPerSecond: finite,
  zoomPerSecond: finite, driftPercentX: finite, driftPercentY: finite, translationPercent: finite, parallax: finite,
});
const storedSummary = looseObject({
  durationSeconds: finite, frameCount: finite, fps: finite, width: finite, height: finite, fovDegrees: finite.positive(),
  fovSource: zodEnum(['given', 'estimated', 'default']).optional(),
  panDegreesPerSecond: finite, tiltDegreesPerSecond: finite, rollDegreesPerSecond: finite, zoomPerSecond: finite,
  parallax: finite, shakeDegrees: finite, meanTrackCount: finite, meanInlierRatio: finite, unmeasuredPairs: finite,
});
const storedSettings = object({ fps: finite.positive(), width: finite.positive(), fovDegrees: union([finite.positive(), literal('auto')]) });

interface AnalysisRow {
  id: number;
  clip_id: number;
  analyzer: string;
  analyzer_version: string;
  settings: string;
  content_hash: string;
  clip_fps: number;
  scores: string;
  evidence: string;
  summary: string;
  timeline: string;
  segments: string;
  created_at: string;
}

/** Parses a stored row; the reason names the column that does not parse. */
function parseRow(row: AnalysisRow): { ok: true; analysis: StoredClipAnalysis } | { ok: false; reason: string } {
  const column = <T>(name: keyof AnalysisRow, schema: ZodType<T>): T => {
    let value: unknown;
    try {
      value = JSON.parse(String(row[name]));
    } catch {
      throw new Error(`column ${name} is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`column ${name}${issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  };
  try {
    const reading: MotionReading = {
      scores: column('scores', primitiveScores),
      evidence: column('evidence', primitiveScores),
      summary: column('summary', storedSummary),
      timeline: column('timeline', array(storedTimelinePoint)),
      segments: column('segments', array(storedSegment)),
    };
    return {
      ok: true,
      analysis: {
        id: row.id,
        clipId: row.clip_id,
        createdAt: row.created_at,
        analyzer: { name: row.analyzer, version: row.analyzer_version },
        settings: column('settings', storedSettings),
        contentHash: row.content_hash,
        clipFps: row.clip_fps,
        reading,
      },
    };
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

function parseOrThrow(db: ReadableDB, row: AnalysisRow): StoredClipAnalysis {
  const parsed = parseRow(row);
  if (!parsed.ok) throw new ProjectError(db.name, `the stored analysis ${row.id} of clip ${row.clip_id} cannot be read (${parsed.reason}); run \`frustum analyze --force\` to replace it`);
  return parsed.analysis;
}

/**
 * Stores a clip's reading as its newest. The same clip content, analyzer version and settings
 * replace their earlier row (REPLACE deletes it and inserts a row with a new, highest id), so
 * re-running never grows the table; anything else adds a row (see migration 3). Returns the id.
 */
export function saveClipAnalysis(db: WritableDB, clipId: number, analysis: ClipAnalysisRecord): number {
  if (!(analysis.clipFps > 0)) throw new Error(`clip ${clipId}: the clip's frame rate must be positive, got ${analysis.clipFps}`);
  const { reading } = analysis;
  const result = statement(
    db,
    `INSERT OR REPLACE INTO clip_analyses(clip_id, analyzer, analyzer_version, settings, content_hash, clip_fps,
       scores, evidence, summary, timeline, segments, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    clipId, analysis.analyzer.name, analysis.analyzer.version, settingsJson(analysis.settings), analysis.contentHash, analysis.clipFps,
    JSON.stringify(reading.scores), JSON.stringify(reading.evidence), JSON.stringify(reading.summary),
    JSON.stringify(reading.timeline), JSON.stringify(reading.segments), now(),
  );
  return Number(result.lastInsertRowid);
}

/**
 * The stored reading of exactly this clip content, analyzer version and settings (what
 * `frustum analyze` may reuse), with whether it is the clip's newest; null when there is none
 * or it cannot be read (then it is analyzed again and replaced).
 */
export function findClipAnalysis(
  db: ReadableDB,
  clipId: number,
  key: { analyzer: AnalyzerIdentity; settings: AnalysisSettings; contentHash: string },
): { analysis: StoredClipAnalysis; isNewest: boolean } | null {
  const row = statement<[number, string, string, string, string], AnalysisRow>(
    db,
    'SELECT * FROM clip_analyses WHERE clip_id = ? AND analyzer = ? AND analyzer_version = ? AND settings = ? AND content_hash = ?',
  ).get(clipId, key.analyzer.name, key.analyzer.version, settingsJson(key.settings), key.contentHash);
  if (row === undefined) return null;
  const parsed = parseRow(row);
  if (!parsed.ok) return null;
  const newest = statement<[number], { id: number }>(db, 'SELECT max(id) AS id FROM clip_analyses WHERE clip_id = ?').get(clipId);
  return { analysis: parsed.analysis, isNewest: newest?.id === row.id };
}

/** A clip's current reading (its newest row), or null when it was never analyzed. */
export function loadLatestAnalysis(db: ReadableDB, clipId: number): StoredClipAnalysis | null {
  const row = statement<[number], AnalysisRow>(db, 'SELECT * FROM clip_analyses WHERE clip_id = ? ORDER BY id DESC LIMIT 1').get(clipId);
  return row === undefined ? null : parseOrThrow(db, row);
}

export interface LatestReadings {
  /** Clip id → its current reading. */
  readings: Map<number, StoredClipAnalysis>;
  /** Newest rows that do not parse: reported, not used. */
  unreadable: Array<{ id: number; clipId: number; clipName: string; reason: string }>;
}

/** Every analyzed clip's current reading. */
export function loadLatestReadings(db: ReadableDB): LatestReadings {
  const rows = statement<[], AnalysisRow & { clip_name: string }>(
    db,
    `SELECT a.*, c.name AS clip_name FROM clip_analyses a JOIN clips c ON c.id = a.clip_id
      WHERE a.id IN (SELECT max(id) FROM clip_analyses GROUP BY clip_id) ORDER BY a.clip_id`,
  ).all();
  const readings = new Map<number, StoredClipAnalysis>();
  const unreadable: LatestReadings['unreadable'] = [];
  for (const row of rows) {
    const parsed = parseRow(row);
    if (parsed.ok) readings.set(row.clip_id, parsed.analysis);
    else unreadable.push({ id: row.id, clipId: row.clip_id, clipName: row.clip_name, reason: parsed.reason });
  }
  return { readings, unreadable };
}

interface ClipSampleRow {
  id: number;
  primitive: string | null;
  options: string;
}

/**
 * A clip's current reading in the studio contract's shape (common/api/contract.ts
 * `clipAnalysis`, what `clip.analysis` returns), or null when the clip was never analyzed.
 * Drafts are written from the stored reading for each of the clip's CameraBench questions, so
 * they exist even where a person's chain kept the sample's head (saveAnalyzerDraft refuses
 * there) and always match the timeline shown beside them. Timeline frames and segment frames
 * count sampled frames (segments 1-based, inclusive, as the observation cites them); frameStride
 * maps them to the clip's own frames. Throws a ProjectError naming the row if it cannot be read.
 */
export function loadClipAnalysis(db: ReadableDB, clipId: number): ClipAnalysis | null {
  const stored = loadLatestAnalysis(db, clipId);
  if (stored === null) return null;
  const { reading } = stored;
  const drafts: Record<string, string> = {};
  const samples = statement<[number], ClipSampleRow>(db, 'SELECT id, primitive, options FROM samples WHERE clip_id = ? AND primitive IS NOT NULL ORDER BY id').all(clipId);
  for (const sample of samples) {
    const options = parseStringArray(sample.options);
    if (sample.primitive === null || !isPrimitive(sample.primitive) || options === null) continue;
    try {
      drafts[String(sample.id)] = draftChain(reading, { primitive: sample.primitive, options }).text;
    } catch {
      // Options without a Yes and a No letter (not a binary question): no draft to offer.
    }
  }
  return {
    analyzer: `${stored.analyzer.name} ${stored.analyzer.version}`,
    createdAt: stored.createdAt,
    frameStride: stored.clipFps / stored.settings.fps,
    // Readings from before the estimate (analyzer 3 and older) always used the lens they were given.
    lens: { fovDegrees: reading.summary.fovDegrees, source: reading.summary.fovSource ?? 'given' },
    scores: { ...reading.scores },
    timeline: reading.timeline.map((point) => ({
      frame: point.frame,
      time: point.time,
      panDegreesPerSecond: point.panDegreesPerSecond,
      tiltDegreesPerSecond: point.tiltDegreesPerSecond,
      rollDegreesPerSecond: point.rollDegreesPerSecond,
      zoomPerSecond: point.zoomPerSecond,
      parallax: point.parallax,
      shake: point.shake,
      translationPercent: point.translationPercent,
    })),
    segments: reading.segments.map((segment) => ({
      firstFrame: segment.firstFrame,
      lastFrame: segment.lastFrame,
      startSeconds: segment.startSeconds,
      endSeconds: segment.endSeconds,
      primitive: segment.primitive,
    })),
    drafts,
  };
}

// ---------------------------------------------------------------------------------------------
// Chains against readings

interface CheckedChainRow {
  sample_id: number;
  clip_id: number | null;
  clip_name: string | null;
  text: string;
  options: string;
  primitive: string | null;
}

export interface SampleContradictions {
  sampleId: number;
  clipId: number;
  clipName: string;
  contradictions: ChainContradiction[];
}

export interface ChainCheckReport {
  /** Current chains checked against their clip's reading. */
  checked: number;
  /** Current chains whose clip has no stored reading (not analyzed, or no clip). */
  withoutReading: number;
  /** Current chains whose clip's reading is too thin to check against (chainCheck.unreliableReason). */
  unreliableReading: number;
  /** Samples with at least one contradiction, in id order. */
  samples: SampleContradictions[];
  unreadable: LatestReadings['unreadable'];
}

/** The question a chain answers, when it is a CameraBench Yes/No question. */
export function questionForCheck(primitive: string | null, optionsJson: string): QuestionForCheck | undefined {
  const options = parseStringArray(optionsJson);
  return primitive !== null && isPrimitive(primitive) && options !== null ? { primitive, options } : undefined;
}

/** Every sample's current chain checked against its clip's current reading. */
export function checkStoredChains(db: ReadableDB): ChainCheckReport {
  const { readings, unreadable } = loadLatestReadings(db);
  const rows = statement<[], CheckedChainRow>(
    db,
    `SELECT s.id AS sample_id, s.clip_id, c.name AS clip_name, r.text, s.options, s.primitive
       FROM samples s JOIN chain_revisions r ON r.id = s.head_revision_id LEFT JOIN clips c ON c.id = s.clip_id
      ORDER BY s.id`,
  ).all();
  const report: ChainCheckReport = { checked: 0, withoutReading: 0, unreliableReading: 0, samples: [], unreadable };
  for (const row of rows) {
    const stored = row.clip_id === null ? undefined : readings.get(row.clip_id);
    if (stored === undefined || row.clip_id === null) {
      report.withoutReading += 1;
      continue;
    }
    if (unreliableReason(stored.reading) !== null) {
      report.unreliableReading += 1;
      continue;
    }
    report.checked += 1;
    const contradictions = checkChainAgainstReading(row.text, stored.reading, questionForCheck(row.primitive, row.options));
    if (contradictions.length > 0) report.samples.push({ sampleId: row.sample_id, clipId: row.clip_id, clipName: row.clip_name ?? `clip ${row.clip_id}`, contradictions });
  }
  return report;
}
