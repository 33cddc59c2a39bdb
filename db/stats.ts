// Counts for `frustum stats` and the Stats screen, each one GROUP BY over an indexed column.
import type { ReadableDB } from './connection';
import { statement } from './statements';

export type Counts = Record<string, number>;

function grouped(db: ReadableDB, sql: string): Counts {
  const counts: Counts = {};
  for (const row of statement<[], { value: string | null; n: number }>(db, sql).all()) counts[row.value ?? '(none)'] = row.n;
  return counts;
}

export interface ProjectCounts {
  /** analyzed: clips with a stored analyzer reading (clip_analyses). */
  clips: { total: number; byStatus: Counts; analyzed: number };
  samples: {
    total: number;
    byKind: Counts;
    byStatus: Counts;
    bySplit: Counts;
    byPrimitive: Counts;
    byAnswer: Counts;
    withChain: number;
  };
  labels: { total: number; yes: number };
  runs: number;
  sources: number;
}

export function projectCounts(db: ReadableDB): ProjectCounts {
  const count = (sql: string) => (statement<[], { n: number }>(db, sql).get() as { n: number }).n;
  return {
    clips: {
      total: count('SELECT count(*) AS n FROM clips'),
      byStatus: grouped(db, 'SELECT media_status AS value, count(*) AS n FROM clips GROUP BY 1 ORDER BY 1'),
      analyzed: count('SELECT count(DISTINCT clip_id) AS n FROM clip_analyses'),
    },
    samples: {
      total: count('SELECT count(*) AS n FROM samples'),
      byKind: grouped(db, 'SELECT kind AS value, count(*) AS n FROM samples GROUP BY 1 ORDER BY 1'),
      byStatus: grouped(db, 'SELECT status AS value, count(*) AS n FROM samples GROUP BY 1 ORDER BY 1'),
      bySplit: grouped(db, 'SELECT split AS value, count(*) AS n FROM samples GROUP BY 1 ORDER BY 1'),
      byPrimitive: grouped(db, 'SELECT primitive AS value, count(*) AS n FROM samples GROUP BY 1 ORDER BY 1'),
      byAnswer: grouped(db, 'SELECT answer AS value, count(*) AS n FROM samples GROUP BY 1 ORDER BY 1'),
      withChain: count('SELECT count(*) AS n FROM samples WHERE head_revision_id IS NOT NULL'),
    },
    labels: {
      total: count('SELECT count(*) AS n FROM clip_primitive_labels'),
      yes: count('SELECT count(*) AS n FROM clip_primitive_labels WHERE value = 1'),
    },
    runs: count('SELECT count(*) AS n FROM runs'),
    sources: count('SELECT count(*) AS n FROM sources'),
  };
}

export interface ChainRow {
  sample_id: number;
  text: string;
  options: string;
  primitive: string | null;
}

/** The current chain of every sample that has one. */
export function currentChains(db: ReadableDB): ChainRow[] {
  return statement<[], ChainRow>(
    db,
    `SELECT s.id AS sample_id, r.text, s.options, s.primitive
       FROM samples s JOIN chain_revisions r ON r.id = s.head_revision_id ORDER BY s.id`,
  ).all();
}

/** Clips whose samples sit in more than one split: a train/test leak. */
export function clipsInSeveralSplits(db: ReadableDB): Array<{ name: string; splits: string }> {
  return statement<[], { name: string; splits: string }>(
    db,
    `SELECT c.name, group_concat(DISTINCT s.split) AS splits FROM samples s JOIN clips c ON c.id = s.clip_id
      GROUP BY c.id HAVING count(DISTINCT s.split) > 1 ORDER BY c.name`,
  ).all();
}
