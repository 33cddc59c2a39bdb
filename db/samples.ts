// One sample as the Review screen shows it: the sample, its clip, its sources, its chain's
// history; and the writes Review makes (a chain revision with conflict detection, labels).
import type { ReadableDB, WritableDB } from './connection';
import { appendRevision, type AuthorKind, type RevisionRow } from './chains';
import { now, statement } from './statements';
import { writeTransaction } from './writers';

export interface SampleRecord {
  id: number;
  kind: string;
  problem_id: string | null;
  question: string;
  options: string;
  problem_type: string;
  answer: string | null;
  primitive: string | null;
  split: string;
  status: string;
  tags: string;
  clip_id: number | null;
  head_revision_id: number | null;
  updated_at: string;
}

export function sampleById(db: ReadableDB, id: number): SampleRecord | undefined {
  return statement<[number], SampleRecord>(
    db,
    `SELECT id, kind, problem_id, question, options, problem_type, answer, primitive, split, status, tags, clip_id, head_revision_id, updated_at
       FROM samples WHERE id = ?`,
  ).get(id);
}

export function sourcePathsOfSample(db: ReadableDB, id: number): string[] {
  return statement<[number], { path: string }>(
    db,
    'SELECT DISTINCT so.path FROM sample_sources ss JOIN sources so ON so.id = ss.source_id WHERE ss.sample_id = ? ORDER BY so.path',
  )
    .all(id)
    .map((row) => row.path);
}

export function revisionById(db: ReadableDB, id: number): RevisionRow | undefined {
  return statement<[number], RevisionRow>(db, 'SELECT * FROM chain_revisions WHERE id = ?').get(id);
}

export function revisionCount(db: ReadableDB, sampleId: number): number {
  return statement<[number], { n: number }>(db, 'SELECT count(*) AS n FROM chain_revisions WHERE sample_id = ?').get(sampleId)?.n ?? 0;
}

export type ChainSaveOutcome =
  | { ok: true; revision: RevisionRow }
  | { ok: false; reason: 'no-sample' }
  | { ok: false; reason: 'conflict'; headRevisionId: number | null };

/**
 * Appends a revision only if the sample's head is still `parentRevisionId` (what the editor
 * started from). The check and the append share one transaction, so two windows saving at
 * once cannot both win: the second gets 'conflict' and nothing is written. Committed (and, with
 * synchronous = FULL, on disk) when this returns. `afterAppend` runs inside the same
 * transaction (the studio refreshes its lint cache row there, so the cache never lags a save).
 */
export function appendRevisionIfHead(
  db: WritableDB,
  sampleId: number,
  parentRevisionId: number | null,
  text: string,
  author: { kind: AuthorKind; name: string },
  afterAppend?: (revision: RevisionRow) => void,
): ChainSaveOutcome {
  // IMMEDIATE (db/writers.ts): the head is compared under the write lock. Begun DEFERRED, the
  // read came first and another program's commit in between made the append fail at once with
  // SQLITE_BUSY ("project is busy") instead of waiting its turn.
  return writeTransaction(db, (): ChainSaveOutcome => {
    const head = statement<[number], { head_revision_id: number | null }>(db, 'SELECT head_revision_id FROM samples WHERE id = ?').get(sampleId);
    if (!head) return { ok: false, reason: 'no-sample' };
    if (head.head_revision_id !== parentRevisionId) return { ok: false, reason: 'conflict', headRevisionId: head.head_revision_id };
    const revision = appendRevision(db, sampleId, text, author);
    afterAppend?.(revision);
    return { ok: true, revision };
  });
}

export interface ClipRecord {
  id: number;
  name: string;
  ref: string;
  file_path: string | null;
  media_status: 'ok' | 'missing' | 'error';
  media_error: string | null;
  content_hash: string | null;
  probe: string | null;
  file_size: number | null;
  file_mtime: string | null;
  /** The folder the file must stay inside (migration 5; backend/media/confine.ts). */
  media_root: string | null;
}

export function clipById(db: ReadableDB, id: number): ClipRecord | undefined {
  return statement<[number], ClipRecord>(
    db,
    'SELECT id, name, ref, file_path, media_status, media_error, content_hash, probe, file_size, file_mtime, media_root FROM clips WHERE id = ?',
  ).get(id);
}

export function splitsOfClip(db: ReadableDB, clipId: number): string[] {
  return statement<[number], { split: string }>(db, 'SELECT DISTINCT split FROM samples WHERE clip_id = ? ORDER BY split')
    .all(clipId)
    .map((row) => row.split);
}

export interface LabelRecord {
  primitive: string;
  value: number;
  author: string;
}

/** Explicit labels win over labels derived from the clip's Yes/No samples (the view says how). */
export function labelsOfClip(db: ReadableDB, clipId: number): LabelRecord[] {
  return statement<[number], LabelRecord>(db, 'SELECT primitive, value, author FROM clip_primitive_labels WHERE clip_id = ?').all(clipId);
}

/** Sets (value 0/1) or clears (null: back to what the samples imply) one explicit label. */
export function setClipLabel(db: WritableDB, clipId: number, primitive: string, value: 0 | 1 | null, author: string): void {
  if (value === null) {
    statement(db, 'DELETE FROM clip_labels WHERE clip_id = ? AND primitive = ?').run(clipId, primitive);
    return;
  }
  statement(
    db,
    `INSERT INTO clip_labels(clip_id, primitive, value, author, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(clip_id, primitive) DO UPDATE SET value = excluded.value, author = excluded.author, updated_at = excluded.updated_at`,
  ).run(clipId, primitive, value, author, now());
}

export function countSamplesAndClips(db: ReadableDB): { samples: number; clips: number } {
  return statement<[], { samples: number; clips: number }>(
    db,
    'SELECT (SELECT count(*) FROM samples) AS samples, (SELECT count(*) FROM clips) AS clips',
  ).get() ?? { samples: 0, clips: 0 };
}

/** Samples per source path (Stats "by source"). */
export function samplesBySource(db: ReadableDB): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of statement<[], { path: string; n: number }>(
    db,
    'SELECT so.path, count(DISTINCT ss.sample_id) AS n FROM sample_sources ss JOIN sources so ON so.id = ss.source_id GROUP BY so.path ORDER BY so.path',
  ).all()) {
    counts[row.path] = row.n;
  }
  return counts;
}
