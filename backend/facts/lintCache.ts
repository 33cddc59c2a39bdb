// Keeps the Library's per-sample cache (migration 4: sample_lint) current. Triggers mark a
// sample stale whenever anyone changes its chain, options, answer or primitive; this module
// relints the stale rows (common/ota/lint.ts) and re-checks them against their clip's reading
// (common/motion/chainCheck.ts), in batches, before the Library reads the cache.
import type { Contradiction } from '../../common/api/contract';
import { isPrimitive } from '../../common/camerabench/primitives';
import { lengthNorms, type LengthNorms } from '../../common/metrics/percentiles';
import { checkChainAgainstReading, unreliableReason } from '../../common/motion/chainCheck';
import { lintChain } from '../../common/ota/lint';
import { loadLatestAnalysis, questionForCheck, type StoredClipAnalysis } from '../../db/analysis';
import type { ReadableDB, WritableDB } from '../../db/connection';
import {
  chainCharLengths, hasPendingLint, LENGTH_OUTLIER, pendingLint, writeLintCache,
  type LintCacheEntry, type OutlierBand, type PendingLintRow,
} from '../../db/library';
import { writeTransaction } from '../../db/writers';
import { LENGTH_OUTLIER_FACTOR } from '../../common/ota/lint';

/** Rows per transaction: big enough to amortise the commit's fsync, small enough to keep the event loop responsive. */
const BATCH = 2000;

/** Words in a chain's sections (tags are not words); what the Library shows as chain length. */
export function chainWords(text: string): number {
  const words = text.replace(/<\s*\/?\s*(?:observation|think|answer)\s*>/gi, ' ').match(/\S+/g);
  return words?.length ?? 0;
}

function parseOptions(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

/** The current reading of a clip, or null (never analyzed, unreadable, or too thin to judge a chain by). */
export function readingForChecks(db: ReadableDB, clipId: number | null): StoredClipAnalysis | null {
  if (clipId === null) return null;
  let stored: StoredClipAnalysis | null;
  try {
    stored = loadLatestAnalysis(db, clipId);
  } catch {
    // An unreadable stored reading is reported by `clip.analysis`; here it just checks nothing.
    return null;
  }
  if (stored === null || unreliableReason(stored.reading) !== null) return null;
  return stored;
}

/** Chain-vs-geometry contradictions of one chain (empty without a usable reading). */
export function contradictionsOf(text: string, stored: StoredClipAnalysis | null, primitive: string | null, optionsJson: string): Contradiction[] {
  if (stored === null) return [];
  // Only the contract's fields travel: `kind` is the checker's detail.
  return checkChainAgainstReading(text, stored.reading, questionForCheck(primitive, optionsJson)).map(
    ({ section, start, end, claim, measured, message }) => ({ section, start, end, claim, measured, message }),
  );
}

/** The cache row of one sample as it is now. */
export function lintEntry(row: PendingLintRow, reading: (clipId: number | null) => StoredClipAnalysis | null): LintCacheEntry {
  if (row.text === null) return { sampleId: row.sample_id, revisionId: null, words: 0, chars: 0, codes: [], contradictions: 0 };
  const issues = lintChain(row.text, {
    options: parseOptions(row.options),
    ...(row.primitive !== null && isPrimitive(row.primitive) ? { primitive: row.primitive } : {}),
  });
  const codes = [...new Set(issues.map((issue) => issue.code).filter((code) => code !== LENGTH_OUTLIER))].sort();
  return {
    sampleId: row.sample_id,
    revisionId: row.revision_id,
    words: chainWords(row.text),
    chars: row.text.length,
    codes,
    contradictions: contradictionsOf(row.text, reading(row.clip_id), row.primitive, row.options).length,
  };
}

/** Relints up to `limit` stale samples (oldest marks first). Returns how many were refreshed. */
export function refreshLintCacheChunk(db: WritableDB, limit: number, readings = new Map<number, StoredClipAnalysis | null>()): number {
  const reading = (clipId: number | null) => {
    if (clipId === null) return null;
    if (!readings.has(clipId)) readings.set(clipId, readingForChecks(db, clipId));
    return readings.get(clipId) ?? null;
  };
  // Read, linted and written under one write lock, begun IMMEDIATE (db/writers.ts): a chain that
  // another program saves meanwhile is marked stale again by its trigger, and must not then be
  // unmarked by a cache row made from its old text.
  return writeTransaction(db, () => {
    const rows = pendingLint(db, limit);
    if (rows.length > 0) writeLintCache(db, rows.map((row) => lintEntry(row, reading)), rows.map((row) => row.sample_id));
    return rows.length;
  });
}

/** Relints every stale sample, blocking. Returns how many rows were refreshed. */
export function refreshLintCache(db: WritableDB): number {
  let refreshed = 0;
  const readings = new Map<number, StoredClipAnalysis | null>();
  while (hasPendingLint(db)) {
    const count = refreshLintCacheChunk(db, BATCH, readings);
    if (count === 0) break;
    refreshed += count;
  }
  return refreshed;
}

/** Lint's length norms over these chain lengths (characters), and the band outside which a chain is an outlier. */
export function outlierBand(chainChars: readonly number[]): { norms: LengthNorms; band: OutlierBand } | null {
  const norms = lengthNorms(chainChars);
  if (norms === undefined) return null;
  return { norms, band: { below: norms.p05 / LENGTH_OUTLIER_FACTOR, above: norms.p95 * LENGTH_OUTLIER_FACTOR } };
}

/** The same over the project's current chains, as the Library's cache holds them. */
export function lengthBand(db: ReadableDB): { norms: LengthNorms; band: OutlierBand } | null {
  return outlierBand(chainCharLengths(db));
}
