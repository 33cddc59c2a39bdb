// The facts about a project that both `frustum stats` and the studio's Stats screen show —
// counts, chain lengths, lint, contradictions with the analyzer, hygiene warnings — computed
// here once, so the two can never disagree (issue #9 item 6). Both read the per-sample lint
// cache (migration 4); what differs is only how stale rows are treated: the studio relints them
// in the background and shows the cache as it is meanwhile, the CLI lints them in memory (it
// may hold the project read-only and has nothing else to do).
import type { LibraryFilter } from '../../common/api/contract';
import { percentile } from '../../common/metrics/percentiles';
import type { ReadableDB } from '../../db/connection';
import { LENGTH_OUTLIER, lintCacheRows, pendingLint } from '../../db/library';
import { samplesBySource } from '../../db/samples';
import { clipsInSeveralSplits, projectCounts, type ProjectCounts } from '../../db/stats';
import { lintEntry, outlierBand, readingForChecks } from './lintCache';

export interface Percentiles {
  count: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}

export interface HygieneWarning {
  code: 'answer-imbalance' | 'clip-in-several-splits' | 'contradictions' | 'length-outliers' | 'without-chain' | 'clips-missing';
  message: string;
  /** The Library view that shows the samples behind the warning. */
  filter: LibraryFilter;
}

export interface ProjectFacts {
  counts: ProjectCounts;
  /** Samples per source file path. */
  bySource: Record<string, number>;
  /** Words in each current chain (tags are not words): what the Library shows as chain length. */
  chainWords: Percentiles;
  chainWordHistogram: Array<{ from: number; to: number; count: number }>;
  /** Characters of each current chain: what lint's length norms are measured in. */
  chainCharacters: Percentiles;
  /** Samples with each lint code, 'length-outlier' included. */
  lint: Record<string, number>;
  /** Samples with at least one lint issue. */
  samplesWithLint: number;
  /** Chains with at least one claim that contradicts their clip's stored reading. */
  contradictions: number;
  /** Clips whose samples sit in more than one split (the first 50). */
  clipsInSeveralSplits: Array<{ name: string; splits: string }>;
  clipsInSeveralSplitsCount: number;
  warnings: HygieneWarning[];
}

/** 'compute': stale cache rows are linted now, in memory; 'as-cached': they count as they were last linted. */
export type StaleRows = 'compute' | 'as-cached';

interface Entry {
  hasChain: boolean;
  words: number;
  chars: number;
  codes: readonly string[];
  contradictions: number;
}

function entriesOf(db: ReadableDB, staleRows: StaleRows): Entry[] {
  const entries: Entry[] = lintCacheRows(db, staleRows === 'compute').map((row) => ({
    hasChain: row.revision_id !== null,
    words: row.chain_words,
    chars: row.chain_chars,
    codes: JSON.parse(row.codes) as string[],
    contradictions: row.contradictions,
  }));
  if (staleRows === 'compute') {
    const readings = new Map<number, ReturnType<typeof readingForChecks>>();
    const reading = (clipId: number | null) => {
      if (clipId === null) return null;
      if (!readings.has(clipId)) readings.set(clipId, readingForChecks(db, clipId));
      return readings.get(clipId) ?? null;
    };
    for (const row of pendingLint(db, -1)) {
      const entry = lintEntry(row, reading);
      entries.push({ hasChain: entry.revisionId !== null, words: entry.words, chars: entry.chars, codes: entry.codes, contradictions: entry.contradictions });
    }
  }
  return entries;
}

function percentilesOf(sorted: readonly number[]): Percentiles {
  const at = (q: number) => (sorted.length === 0 ? 0 : Math.round(percentile(sorted, q)));
  return { count: sorted.length, p5: at(5), p25: at(25), p50: at(50), p75: at(75), p95: at(95) };
}

/** About twelve equal buckets from 0 to the longest chain. */
function histogramOf(sorted: readonly number[]): ProjectFacts['chainWordHistogram'] {
  const histogram: ProjectFacts['chainWordHistogram'] = [];
  if (sorted.length === 0) return histogram;
  const max = sorted[sorted.length - 1] ?? 0;
  const width = Math.max(1, Math.ceil((max + 1) / 12));
  for (let from = 0; from <= max; from += width) histogram.push({ from, to: from + width, count: 0 });
  for (const length of sorted) {
    const bucket = histogram[Math.floor(length / width)];
    if (bucket) bucket.count += 1;
  }
  return histogram;
}

function hygieneWarnings(facts: Omit<ProjectFacts, 'warnings'>): HygieneWarning[] {
  const warnings: HygieneWarning[] = [];
  const letters = Object.entries(facts.counts.samples.byAnswer).filter(([letter]) => /^[A-Z]$/.test(letter));
  const lettered = letters.reduce((sum, [, n]) => sum + n, 0);
  const [top] = [...letters].sort((a, b) => b[1] - a[1]);
  // At least 20 lettered answers, one letter over 75 %: a model can score by guessing it.
  if (top && letters.length > 1 && lettered >= 20 && top[1] / lettered > 0.75) {
    warnings.push({
      code: 'answer-imbalance',
      message: `answer-letter imbalance: ${top[0]} is the answer of ${((top[1] / lettered) * 100).toFixed(1)}% of samples`,
      filter: { answer: [top[0]] },
    });
  }
  if (facts.clipsInSeveralSplitsCount > 0) {
    warnings.push({
      code: 'clip-in-several-splits',
      message: `${facts.clipsInSeveralSplitsCount} clip(s) have samples in more than one split (train/test leak)`,
      filter: { clipInSeveralSplits: true },
    });
  }
  if (facts.contradictions > 0) {
    warnings.push({ code: 'contradictions', message: `${facts.contradictions} chain(s) contradict the analyzer's measurement of their clip`, filter: { hasContradiction: true } });
  }
  const outliers = facts.lint[LENGTH_OUTLIER] ?? 0;
  if (outliers > 0) {
    warnings.push({ code: 'length-outliers', message: `${outliers} chain(s) are far shorter or longer than the dataset's norm`, filter: { lint: [LENGTH_OUTLIER] } });
  }
  const withoutChain = facts.counts.samples.total - facts.counts.samples.withChain;
  if (withoutChain > 0 && facts.counts.samples.withChain > 0) {
    warnings.push({ code: 'without-chain', message: `${withoutChain} sample(s) have no O-T-A chain yet`, filter: { chainLength: { max: 1 } } });
  }
  const missing = facts.counts.clips.byStatus['missing'] ?? 0;
  if (missing > 0) {
    warnings.push({ code: 'clips-missing', message: `${missing} clip(s) are missing their video file (relink them to a folder that holds them)`, filter: { media: ['missing'] } });
  }
  return warnings;
}

export function projectFacts(db: ReadableDB, staleRows: StaleRows): ProjectFacts {
  const counts = projectCounts(db);
  const entries = entriesOf(db, staleRows);
  const chained = entries.filter((entry) => entry.hasChain);
  const words = chained.map((entry) => entry.words).sort((a, b) => a - b);
  const chars = chained.map((entry) => entry.chars).sort((a, b) => a - b);
  const band = outlierBand(chars)?.band ?? null;
  const lint: Record<string, number> = {};
  let samplesWithLint = 0;
  let contradictions = 0;
  for (const entry of entries) {
    const isOutlier = band !== null && entry.hasChain && (entry.chars < band.below || entry.chars > band.above);
    for (const code of entry.codes) lint[code] = (lint[code] ?? 0) + 1;
    if (isOutlier) lint[LENGTH_OUTLIER] = (lint[LENGTH_OUTLIER] ?? 0) + 1;
    if (entry.codes.length > 0 || isOutlier) samplesWithLint += 1;
    if (entry.contradictions > 0) contradictions += 1;
  }
  const leaks = clipsInSeveralSplits(db);
  const facts: Omit<ProjectFacts, 'warnings'> = {
    counts,
    bySource: samplesBySource(db),
    chainWords: percentilesOf(words),
    chainWordHistogram: histogramOf(words),
    chainCharacters: percentilesOf(chars),
    lint: Object.fromEntries(Object.entries(lint).sort(([left], [right]) => left.localeCompare(right))),
    samplesWithLint,
    contradictions,
    clipsInSeveralSplits: leaks.slice(0, 50),
    clipsInSeveralSplitsCount: leaks.length,
  };
  return { ...facts, warnings: hygieneWarnings(facts) };
}
