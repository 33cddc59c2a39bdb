// Stored motion evidence (clip_evidence, migration 8): per clip, one float32 vector per sampled
// frame pair, as backend/motion/analyze/evidence.ts computes it from the analyzer's tracks. Rows
// are keyed like readings (db/analysis.ts): by clip, evidence version, clip content and
// sampling settings; the same key replaces its row, and a clip's newest row is its current one.
import type { ReadableDB, WritableDB } from './connection';
import { now, statement } from './statements';

/**
 * The feature set's version (backend/motion/analyze/evidence.ts EVIDENCE_FEATURES), kept here
 * beside the table as CURRENT_ANALYZER is (db/analysis.ts), so every reader defaults to it
 * without db/ importing the backend. Bump it with any change to the features, their order or the
 * tracking they are computed from: stored evidence of another version is not read, and
 * ensureClipEvidence (backend/motion/analyze/projectEvidence.ts) computes it again.
 */
export const EVIDENCE_VERSION = 1;

/** What the evidence depends on besides the clip and the feature version. */
export interface EvidenceSettings {
  /** Sampling rate, frames per second. */
  fps: number;
  /** Analysis width in pixels. */
  width: number;
}

export interface ClipEvidenceRecord {
  version: number;
  /** sha256 of the clip file that was tracked (the same as its reading's). */
  contentHash: string;
  settings: EvidenceSettings;
  /** The sampling rate the pairs are spaced at. */
  fps: number;
  /** One vector per pair, in order, all of the same length. */
  pairs: readonly Float32Array[];
  /** The vectors' length; needed only to store a clip without pairs (one sampled frame). */
  dims?: number;
}

export interface StoredEvidence {
  fps: number;
  pairs: number;
  dims: number;
  /** pairs × dims, row-major. */
  data: Float32Array;
  contentHash: string;
  settings: string;
}

/** Settings as stored and compared: fixed key order, so equal settings are equal text. */
export function evidenceSettingsJson(settings: EvidenceSettings): string {
  return JSON.stringify({ fps: settings.fps, width: settings.width });
}

/** float32 little-endian, whatever the machine's order: a project file moves between machines. */
function encode(pairs: readonly Float32Array[], dims: number): Buffer {
  const buffer = Buffer.alloc(pairs.length * dims * 4);
  pairs.forEach((pair, row) => {
    for (let column = 0; column < dims; column += 1) buffer.writeFloatLE(pair[column]!, (row * dims + column) * 4);
  });
  return buffer;
}

/**
 * SQLite's Buffer may start at any byte of a shared pool, and a Float32Array view needs 4-byte
 * alignment (and the machine's byte order): the values are read one by one into a fresh array.
 */
function decode(blob: Buffer): Float32Array {
  const data = new Float32Array(blob.length / 4);
  for (let index = 0; index < data.length; index += 1) data[index] = blob.readFloatLE(index * 4);
  return data;
}

/** Stores a clip's evidence as its newest; the same clip content, version and settings replace their row. */
export function saveClipEvidence(db: WritableDB, clipId: number, record: ClipEvidenceRecord): void {
  if (!(record.fps > 0)) throw new Error(`clip ${clipId}: the evidence's frame rate must be positive, got ${record.fps}`);
  const dims = record.pairs[0]?.length ?? record.dims ?? 0;
  if (!(dims > 0) || (record.dims !== undefined && record.dims !== dims)) throw new Error(`clip ${clipId}: evidence vectors have ${dims} values, expected ${record.dims ?? 'some'}`);
  const mismatched = record.pairs.findIndex((pair) => pair.length !== dims);
  if (mismatched >= 0) throw new Error(`clip ${clipId}: evidence pair ${mismatched} has ${record.pairs[mismatched]!.length} values, expected ${dims}`);
  // A clip too short to have a pair still gets a row (pairs 0): it was tracked, there is nothing to track again.
  statement(
    db,
    `INSERT OR REPLACE INTO clip_evidence(clip_id, version, content_hash, settings, fps, pairs, dims, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(clipId, record.version, record.contentHash, evidenceSettingsJson(record.settings), record.fps, record.pairs.length, dims, encode(record.pairs, dims), now());
}

/** Whether exactly this clip content, version and settings have stored evidence (what ensureClipEvidence reuses). */
export function hasClipEvidence(db: ReadableDB, clipId: number, key: { version: number; contentHash: string; settings: EvidenceSettings }): boolean {
  return statement<[number, number, string, string], { n: number }>(
    db,
    'SELECT 1 AS n FROM clip_evidence WHERE clip_id = ? AND version = ? AND content_hash = ? AND settings = ?',
  ).get(clipId, key.version, key.contentHash, evidenceSettingsJson(key.settings)) !== undefined;
}

interface EvidenceRow {
  clip_id: number;
  content_hash: string;
  settings: string;
  fps: number;
  pairs: number;
  dims: number;
  data: Buffer;
}

/**
 * Each clip's newest evidence of `version` (default: the current one) (and of `settings`, when given); clips without any are
 * absent from the map. A row whose blob does not match its shape is left out, as if missing.
 */
export function evidenceOfClips(
  db: ReadableDB,
  clipIds: readonly number[],
  options: { version?: number; settings?: EvidenceSettings } = {},
): Map<number, StoredEvidence> {
  const version = options.version ?? EVIDENCE_VERSION;
  const settings = options.settings === undefined ? null : evidenceSettingsJson(options.settings);
  // One query for any number of clips: the ids travel as one JSON array.
  const rows = statement<[number, string, string | null, string | null], EvidenceRow>(
    db,
    `SELECT clip_id, content_hash, settings, fps, pairs, dims, data FROM clip_evidence
      WHERE rowid IN (SELECT max(rowid) FROM clip_evidence
                       WHERE version = ? AND clip_id IN (SELECT value FROM json_each(?)) AND (? IS NULL OR settings = ?)
                       GROUP BY clip_id)`,
  ).all(version, JSON.stringify(clipIds), settings, settings);
  const found = new Map<number, StoredEvidence>();
  for (const row of rows) {
    if (!Buffer.isBuffer(row.data) || row.data.length !== row.pairs * row.dims * 4) continue;
    found.set(row.clip_id, { fps: row.fps, pairs: row.pairs, dims: row.dims, data: decode(row.data), contentHash: row.content_hash, settings: row.settings });
  }
  return found;
}
