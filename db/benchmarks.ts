// Benchmark membership (migration 10): which samples are items of which benchmark, with the
// structure scoring needs. Written by the import (db/imports.ts); read here by scoring, exports
// for the official evaluators, and the studio.
import type { Benchmark } from '../common/formats/benchmarks';
import type { ReadableDB } from './connection';
import { statement } from './statements';

export interface BenchmarkItemRow {
  id: number;
  benchmark: Benchmark;
  item_key: string;
  sample_id: number;
  split: string;
  task: string | null;
  group_key: string | null;
  role: string | null;
  reference: string | null;
  /** benchmark_items.meta, parsed. */
  meta: Record<string, unknown>;
  /** The sample's question, options (a JSON array, as stored), reference letter and problem_id. */
  question: string;
  options: string;
  problem_type: string;
  answer: string | null;
  problem_id: string | null;
  /** The clip's file name (CameraBench's video_path) and its path as first imported. */
  clip_name: string | null;
  clip_ref: string | null;
}

type StoredItemRow = Omit<BenchmarkItemRow, 'meta'> & { meta: string };

const ITEM_COLUMNS = `b.id, b.benchmark, b.item_key, b.sample_id, b.split, b.task, b.group_key, b.role, b.reference, b.meta,
       s.question, s.options, s.problem_type, s.answer, s.problem_id, c.name AS clip_name, c.ref AS clip_ref`;

function parsed(row: StoredItemRow): BenchmarkItemRow {
  return { ...row, meta: JSON.parse(row.meta) as Record<string, unknown> };
}

/**
 * Every item of one benchmark, in the order they were first imported (a file's own order:
 * pairs and their four roles in sequence for VQA), with its sample's question and answer.
 * Scoring groups them by split (and, for VQA, by group_key and role).
 */
export function benchmarkItems(db: ReadableDB, benchmark: Benchmark): BenchmarkItemRow[] {
  return statement<[string], StoredItemRow>(
    db,
    `SELECT ${ITEM_COLUMNS}
       FROM benchmark_items b JOIN samples s ON s.id = b.sample_id LEFT JOIN clips c ON c.id = s.clip_id
      WHERE b.benchmark = ? ORDER BY b.id`,
  ).all(benchmark).map(parsed);
}

/** The benchmark items one sample is (a VQA sample may be several; a caption's reference is here). */
export function benchmarkItemsOfSample(db: ReadableDB, sampleId: number): BenchmarkItemRow[] {
  return statement<[number], StoredItemRow>(
    db,
    `SELECT ${ITEM_COLUMNS}
       FROM benchmark_items b JOIN samples s ON s.id = b.sample_id LEFT JOIN clips c ON c.id = s.clip_id
      WHERE b.sample_id = ? ORDER BY b.id`,
  ).all(sampleId).map(parsed);
}

export interface BenchmarkSummary {
  benchmark: string;
  items: number;
  /** Distinct samples (fewer than items where a question recurs, as in CameraBench VQA). */
  samples: number;
  /** Items per split, splits in name order. */
  splits: Array<{ split: string; items: number }>;
  /** VQA: pairs (distinct group keys); null for the others. */
  groups: number | null;
}

/** What benchmarks the project holds, and how many items of each, per split. */
export function benchmarksOfProject(db: ReadableDB): BenchmarkSummary[] {
  const totals = statement<[], { benchmark: string; items: number; samples: number; groups: number }>(
    db,
    `SELECT benchmark, count(*) AS items, count(DISTINCT sample_id) AS samples, count(DISTINCT group_key) AS groups
       FROM benchmark_items GROUP BY benchmark ORDER BY benchmark`,
  ).all();
  const splits = statement<[], { benchmark: string; split: string; items: number }>(
    db,
    'SELECT benchmark, split, count(*) AS items FROM benchmark_items GROUP BY benchmark, split ORDER BY benchmark, split',
  ).all();
  return totals.map((total) => ({
    benchmark: total.benchmark,
    items: total.items,
    samples: total.samples,
    splits: splits.filter((row) => row.benchmark === total.benchmark).map((row) => ({ split: row.split, items: row.items })),
    groups: total.groups > 0 ? total.groups : null,
  }));
}

export interface StoredBenchmarkItem {
  sampleId: number;
  /** The sample's key (clip file name + U+001F + question): what an import compares its own items with. */
  sampleKey: string;
  reference: string | null;
}

/** The items among (benchmark, item key) pairs that the project already holds, keyed "<benchmark>\u001f<item key>". */
export function findBenchmarkItems(db: ReadableDB, items: ReadonlyArray<{ benchmark: string; itemKey: string }>): Map<string, StoredBenchmarkItem> {
  const found = new Map<string, StoredBenchmarkItem>();
  if (items.length === 0) return found;
  // A project without items (every project before its first benchmark import) has nothing to find.
  if (!statement<[], { id: number }>(db, 'SELECT id FROM benchmark_items LIMIT 1').get()) return found;
  const rows = statement<[string], { benchmark: string; item_key: string; sample_id: number; sample_key: string; reference: string | null }>(
    db,
    `SELECT b.benchmark, b.item_key, b.sample_id, s.key AS sample_key, b.reference
       FROM json_each(?) AS k
       JOIN benchmark_items b ON b.benchmark = json_extract(k.value, '$[0]') AND b.item_key = json_extract(k.value, '$[1]')
       JOIN samples s ON s.id = b.sample_id`,
  ).all(JSON.stringify(items.map((item) => [item.benchmark, item.itemKey])));
  for (const row of rows) found.set(`${row.benchmark}\u001f${row.item_key}`, { sampleId: row.sample_id, sampleKey: row.sample_key, reference: row.reference });
  return found;
}
