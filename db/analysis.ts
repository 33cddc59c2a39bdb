// What the geometric analyzer reads from a project and how it saves its drafts. Analyzer
// drafts are chain revisions by author_kind 'analyzer'; they never replace a person's text:
// a sample whose head revision a person (or an import of curated data) wrote keeps its head.
//
// Not stored yet (issue #3, next migration): the readings themselves, so a project is not
// re-analyzed on every run and the Review screen can plot the timeline. Proposed table:
//   clip_analyses(id, clip_id → clips, author 'analyzer', version, settings JSON {fps, width,
//   fovDegrees}, content_hash of the clip analyzed, scores JSON, summary JSON, timeline JSON,
//   created_at, UNIQUE (clip_id, version, settings)) STRICT.
import type { ReadableDB, WritableDB } from './connection';
import { appendRevision } from './chains';
import { statement } from './statements';

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
  /** Author kind of the current chain, null without one. */
  head_author_kind: string | null;
}

/** Samples with a CameraBench primitive, in id order, with their clip's file. */
export function samplesForAnalysis(db: ReadableDB): AnalysisSampleRow[] {
  return statement<[], AnalysisSampleRow>(
    db,
    `SELECT s.id, s.key, s.problem_id, s.question, s.options, s.answer, s.primitive,
            c.id AS clip_id, c.ref AS clip_ref, c.name AS clip_name, c.file_path, c.media_status,
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
  return db.transaction(() => {
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
  })();
}
