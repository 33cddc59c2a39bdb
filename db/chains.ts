// O-T-A chain revisions. Revisions are append-only (enforced by triggers on chain_revisions);
// a sample's current chain is its head, and the full-text index follows the head.
import type { ReadableDB, WritableDB } from './connection';
import { now, statement } from './statements';
import { writeTransaction } from './writers';

export type AuthorKind = 'person' | 'model' | 'analyzer' | 'import';

export interface RevisionRow {
  id: number;
  sample_id: number;
  parent_id: number | null;
  text: string;
  author_kind: AuthorKind;
  author: string;
  created_at: string;
}

/** Moves a sample's head to `revisionId` and re-indexes its text. Call inside a transaction. */
export function setChainHead(db: WritableDB, sampleId: number, revisionId: number, text: string, timestamp: string): void {
  statement(db, 'UPDATE samples SET head_revision_id = ?, updated_at = ? WHERE id = ?').run(revisionId, timestamp, sampleId);
  statement(db, 'DELETE FROM chain_search WHERE rowid = ?').run(sampleId);
  statement(db, 'INSERT INTO chain_search(rowid, text) VALUES (?, ?)').run(sampleId, text);
  statement(db, 'DELETE FROM chain_search_pending WHERE sample_id = ?').run(sampleId);
}

/**
 * Appends a revision on top of the current head and makes it the head. Committed before it
 * returns (synchronous = FULL), so "saved" means on disk.
 */
export function appendRevision(
  db: WritableDB,
  sampleId: number,
  text: string,
  author: { kind: AuthorKind; name: string },
): RevisionRow {
  // IMMEDIATE (db/writers.ts): the new revision's parent is the head as read under the write
  // lock, never one another connection has since replaced.
  return writeTransaction(db, () => {
    const timestamp = now();
    const head = statement<[number], { head_revision_id: number | null }>(db, 'SELECT head_revision_id FROM samples WHERE id = ?').get(sampleId);
    if (!head) throw new Error(`no sample ${sampleId}`);
    const id = Number(
      statement(db, 'INSERT INTO chain_revisions(sample_id, parent_id, text, author_kind, author, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        sampleId,
        head.head_revision_id,
        text,
        author.kind,
        author.name,
        timestamp,
      ).lastInsertRowid,
    );
    setChainHead(db, sampleId, id, text, timestamp);
    return { id, sample_id: sampleId, parent_id: head.head_revision_id, text, author_kind: author.kind, author: author.name, created_at: timestamp };
  });
}

export function revisionsOf(db: ReadableDB, sampleId: number): RevisionRow[] {
  return statement<[number], RevisionRow>(db, 'SELECT * FROM chain_revisions WHERE sample_id = ? ORDER BY id').all(sampleId);
}

/** Indexes the chains of samples an import left pending. Returns how many were indexed. */
export function refreshSearchIndex(db: WritableDB): number {
  // Every search calls this: with nothing pending it must not queue for the write lock behind
  // another program's import.
  if (statement(db, 'SELECT 1 FROM chain_search_pending LIMIT 1').get() === undefined) return 0;
  // IMMEDIATE (db/writers.ts): the pending list read is the one cleared, so a chain another
  // connection marks pending meanwhile is not cleared unindexed.
  return writeTransaction(db, () => {
    const pending = statement<[], { id: number; text: string }>(
      db,
      `SELECT s.id, r.text FROM chain_search_pending p JOIN samples s ON s.id = p.sample_id
         JOIN chain_revisions r ON r.id = s.head_revision_id`,
    ).all();
    const remove = statement(db, 'DELETE FROM chain_search WHERE rowid = ?');
    const add = statement(db, 'INSERT INTO chain_search(rowid, text) VALUES (?, ?)');
    for (const row of pending) {
      remove.run(row.id);
      add.run(row.id, row.text);
    }
    statement(db, 'DELETE FROM chain_search_pending').run();
    return pending.length;
  });
}

/** Samples whose current chain matches an FTS5 query, best match first. */
export function searchChains(db: WritableDB, query: string, limit = 100): number[] {
  refreshSearchIndex(db);
  return statement<[string, number], { rowid: number }>(db, 'SELECT rowid FROM chain_search WHERE chain_search MATCH ? ORDER BY rank LIMIT ?')
    .all(query, limit)
    .map((row) => row.rowid);
}
