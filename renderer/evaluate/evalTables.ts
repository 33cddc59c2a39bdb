// What the Evaluate view draws from the runs' reports: each report's tables merged per table id
// (every run its own row, in the order the runs were chosen), the baselines and published rows
// once, changes against the first run, and — the point of issue 13 — which rows are measured the
// same way as the run's and which are not ("accuracy vs AP", "micro vs macro"): CamReasoner's
// Table 1 printed its accuracy beside the baselines' average precision.
import type { BenchmarkName, EvalReport, EvalTable } from '../../common/api/contract';

export type EvalRow = EvalTable['rows'][number];
export type EvalCell = NonNullable<EvalRow['cells'][number]>;
export type RowKind = EvalRow['kind'];

/** Rows are drawn in these groups, in this order. */
export const ROW_KINDS: readonly RowKind[] = ['run', 'baseline', 'published'];

export const BENCHMARK_LABELS: Record<BenchmarkName, string> = {
  'camerabench-binary': 'CameraBench binary',
  'camerabench-vqa': 'CameraBench VQA',
  'camerabench-vqa-runpy': 'CameraBench VQA (run.py)',
  'camerabench-caption': 'CameraBench captions',
  shotbench: 'ShotBench',
  refineshot: 'RefineShot',
};

// ---------------------------------------------------------------------------------------------
// Basis: what a row's numbers are

export interface Basis {
  /** The metric its first clause names ("AP", "accuracy", "binary_acc"…); else that clause's first phrase. */
  metric: string;
  /** Whether `metric` is one of the metrics known here (not a phrase standing in). */
  isKnownMetric: boolean;
  averaging: 'macro' | 'micro' | null;
  /** For ranking metrics: where the score came from (P(Yes) for some items, the answer for others: mixed). */
  score: 'P(Yes)' | '1/0' | 'mixed' | null;
}

/** Known metric names; the one whose mention comes first in a basis is its metric. */
const METRICS: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'binary_acc', pattern: /\bbinary[_ ]acc(?:uracy)?\b/i },
  { name: 'question_acc', pattern: /\bquestion[_ ]acc(?:uracy)?\b|\bQ-Acc\b/i },
  { name: 'ROC AUC', pattern: /\b(?:ROC[ -]?AUC|AUC)\b/i },
  // Case-sensitive: "ap" is not a word, "AP" and "mAP" are.
  { name: 'AP', pattern: /\bm?AP\b/ },
  { name: 'AP', pattern: /\baverage precision\b/i },
  { name: 'accuracy', pattern: /\bacc(?:uracy)?\b/i },
  { name: 'BLEU-2', pattern: /\bBLEU(?:-?\d)?\b/i },
  { name: 'ROUGE-L', pattern: /\bROUGE(?:-?L)?\b/i },
  { name: 'SPICE', pattern: /\bSPICE\b/i },
  { name: 'CIDEr', pattern: /\bCIDEr\b/i },
  { name: 'METEOR', pattern: /\bMETEOR\b/i },
  { name: 'F1', pattern: /\bF1\b/i },
];
const RANKING_METRICS = new Set(['AP', 'ROC AUC']);

export function parseBasis(basis: string): Basis {
  // The metric is what the first clause names: "this run's Pan_Left items; accuracy and AP…" names none.
  const firstClause = basis.split(/[;:]/)[0] ?? '';
  let metric: { name: string; at: number; length: number } | null = null;
  for (const { name, pattern } of METRICS) {
    const match = pattern.exec(firstClause);
    if (!match) continue;
    if (metric === null || match.index < metric.at || (match.index === metric.at && match[0].length > metric.length)) {
      metric = { name, at: match.index, length: match[0].length };
    }
  }
  const firstPhrase = basis.split(/[,;(]| — | - /)[0]?.trim().toLowerCase() ?? '';
  const macro = /\bmacro\b/i.exec(basis);
  const micro = /\bmicro\b/i.exec(basis);
  const averaging = macro && micro ? (macro.index < micro.index ? 'macro' : 'micro') : macro ? 'macro' : micro ? 'micro' : null;
  const probability = /P\(\s*"?Yes"?\s*\)|probabilit/i.test(basis);
  const answers = /(?:^|[^\d.])1\/0(?![\d.])|\bYes 1, No 0\b|\bletters?\b|\bbinary scores?\b/i.test(basis);
  const score = probability && answers ? 'mixed' : probability ? 'P(Yes)' : answers ? '1/0' : null;
  return { metric: metric?.name ?? firstPhrase, isKnownMetric: metric !== null, averaging, score };
}

function knownMetric(basis: string): string | null {
  const parsed = parseBasis(basis);
  return parsed.isKnownMetric ? parsed.metric : null;
}

/**
 * Why a row measured on `other` cannot be read against one measured on `reference`: the metric,
 * the averaging, or (for AP and ROC AUC) the score behind it differ. Empty when nothing says so;
 * what a basis does not mention is not held against it.
 */
export function basisDifferences(reference: string, other: string, options: { isScoreIgnored?: boolean } = {}): string[] {
  if (reference.trim() === other.trim()) return [];
  const left = parseBasis(other);
  const right = parseBasis(reference);
  const reasons: string[] = [];
  if (left.metric !== right.metric) reasons.push(`${left.metric} vs ${right.metric}`);
  if (left.averaging !== null && right.averaging !== null && left.averaging !== right.averaging) reasons.push(`${left.averaging} vs ${right.averaging} average`);
  if (!options.isScoreIgnored && left.metric === right.metric && RANKING_METRICS.has(left.metric) && left.score !== null && right.score !== null && left.score !== right.score) {
    reasons.push(`score ${left.score} vs ${right.score}`);
  }
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// Deltas

/** A number as the source printed it: "78.4", "0.745", "87.7%". */
function shownNumber(display: string): { value: number; decimals: number; unit: string } | null {
  const match = /^\s*([+-]?\d+(?:\.(\d+))?)\s*(%?)\s*$/.exec(display);
  if (!match) return null;
  return { value: Number(match[1]), decimals: match[2]?.length ?? 0, unit: match[3] ?? '' };
}

/**
 * `cell` against `reference`, in the units and precision shown ("78.4" vs "76.1" → "+2.3", not
 * the fractions behind them); null where either has no number.
 */
export function cellDelta(reference: EvalCell | null | undefined, cell: EvalCell | null | undefined): { text: string; sign: -1 | 0 | 1 } | null {
  if (!reference || !cell || !Number.isFinite(reference.value) || !Number.isFinite(cell.value)) return null;
  const left = shownNumber(reference.display);
  const right = shownNumber(cell.display);
  const isShown = left !== null && right !== null && left.unit === right.unit;
  const decimals = isShown ? Math.max(left.decimals, right.decimals) : 3;
  const difference = isShown ? right.value - left.value : cell.value - reference.value;
  const rounded = Number(difference.toFixed(decimals));
  if (rounded === 0) return { text: '±0', sign: 0 };
  const magnitude = Math.abs(rounded).toFixed(decimals);
  return { text: `${rounded > 0 ? '+' : '−'}${magnitude}${isShown ? left.unit : ''}`, sign: rounded > 0 ? 1 : -1 };
}

// ---------------------------------------------------------------------------------------------
// Merging reports

export interface ShownRow {
  /** Unique within its table. */
  key: string;
  label: string;
  basis: string;
  /** The basis's metric ("AP", "accuracy"): rows of one metric are read against each other; null when it names none. */
  metric: string | null;
  kind: RowKind;
  runId: number | null;
  /** One per column of the merged table. */
  cells: Array<EvalCell | null>;
  /** Another run's row: the change against the first run's row of the same basis, per column. */
  deltas: Array<{ text: string; sign: -1 | 0 | 1 } | null> | null;
  /** The first run's row this row is compared with (its label), when there is one. */
  comparedWith: string | null;
  /** Why this row's numbers do not compare with the run's; empty when they do. */
  incomparable: string[];
  /** A baseline or published row: the run rows measured as it is ("#3 accuracy"), what it may be read against. */
  comparableWith: string[];
  /** The first run's first row: what the others are read against. */
  isReference: boolean;
}

export interface ShownTable {
  /** The benchmark and the table's id. */
  key: string;
  id: string;
  title: string;
  benchmark: BenchmarkName;
  columns: Array<{ key: string; label: string }>;
  rows: ShownRow[];
  notes: string[];
  /** Rows of more than one run. */
  isSideBySide: boolean;
}

interface Collected {
  table: ShownTable;
  /** Row variants by their identity (kind, label, basis), with the runs whose reports had them. */
  shared: Map<string, Array<{ row: EvalRow; columns: string[]; runIds: number[] }>>;
  runRows: Array<{ row: EvalRow; columns: string[]; runId: number | null }>;
}

function sameCells(left: { row: EvalRow; columns: string[] }, right: { row: EvalRow; columns: string[] }): boolean {
  const shown = (entry: { row: EvalRow; columns: string[] }) => JSON.stringify(entry.columns.map((column, index) => [column, entry.row.cells[index]?.display ?? null]));
  return shown(left) === shown(right);
}

/**
 * The reports of the chosen runs (the first run first) as tables, one per benchmark and table id,
 * in the order they first appear. Run rows come from every report; a baseline or published row
 * is shown once, unless runs disagree on it (a majority baseline over different items), when each
 * version is shown with the runs it belongs to.
 */
export function mergeReports(reports: readonly EvalReport[]): ShownTable[] {
  const collected = new Map<string, Collected>();
  for (const report of reports) {
    for (const table of report.tables) {
      const key = `${report.benchmark}/${table.id}`;
      let entry = collected.get(key);
      if (!entry) {
        entry = { table: { key, id: table.id, title: table.title, benchmark: report.benchmark, columns: [], rows: [], notes: [], isSideBySide: false }, shared: new Map(), runRows: [] };
        collected.set(key, entry);
      }
      for (const column of table.columns) {
        if (!entry.table.columns.some((known) => known.key === column.key)) entry.table.columns.push(column);
      }
      for (const note of table.notes) if (!entry.table.notes.includes(note)) entry.table.notes.push(note);
      const columns = table.columns.map((column) => column.key);
      for (const row of table.rows) {
        if (row.kind === 'run') {
          entry.runRows.push({ row, columns, runId: row.runId ?? report.runId });
          continue;
        }
        const identity = `${row.kind}\u0000${row.label}\u0000${row.basis}`;
        const variants = entry.shared.get(identity) ?? [];
        const same = variants.find((variant) => sameCells(variant, { row, columns }));
        if (same) {
          if (!same.runIds.includes(report.runId)) same.runIds.push(report.runId);
        } else {
          variants.push({ row, columns, runIds: [report.runId] });
        }
        entry.shared.set(identity, variants);
      }
    }
  }
  const referenceRunId = reports[0]?.runId ?? null;
  return [...collected.values()].map((entry) => finishTable(entry, referenceRunId));
}

function finishTable({ table, shared, runRows }: Collected, referenceRunId: number | null): ShownTable {
  const align = (row: EvalRow, columns: string[]): Array<EvalCell | null> => table.columns.map((column) => {
    const at = columns.indexOf(column.key);
    return at < 0 ? null : (row.cells[at] ?? null);
  });
  // The first run's rows are what others are read against; the first run may lack this table.
  const firstRunId = runRows.some((entry) => entry.runId === referenceRunId) ? referenceRunId : (runRows[0]?.runId ?? null);
  const referenceRows = runRows.filter((entry) => entry.runId === firstRunId).map((entry) => ({ ...entry, cells: align(entry.row, entry.columns) }));
  const reference = referenceRows[0] ?? null;
  const isSideBySide = new Set(runRows.map((entry) => entry.runId)).size > 1;

  const rows: ShownRow[] = [];
  const seenKeys = new Map<string, number>();
  const uniqueKey = (base: string): string => {
    const count = seenKeys.get(base) ?? 0;
    seenKeys.set(base, count + 1);
    return count === 0 ? base : `${base}#${count}`;
  };

  // Side by side, each of the first run's rows is followed by the others' rows read against it
  // (Run 1 AP, Run 2 AP, Run 1 accuracy, Run 2 accuracy…); rows matching none come last.
  const runShown: Array<{ shown: ShownRow; matchedTo: EvalRow | null; order: number }> = [];
  runRows.forEach((entry, order) => {
    const cells = align(entry.row, entry.columns);
    const isReferenceRun = entry.runId === firstRunId;
    let deltas: ShownRow['deltas'] = null;
    let comparedWith: string | null = null;
    let incomparable: string[] = [];
    let matchedTo: EvalRow | null = isReferenceRun ? entry.row : null;
    if (!isReferenceRun && reference) {
      const match = matchingRow(entry.row, referenceRows);
      matchedTo = match?.row ?? null;
      if (match) {
        comparedWith = match.row.label;
        deltas = cells.map((cell, index) => cellDelta(match.cells[index], cell));
      } else {
        // Said against the first run's row it differs from least (its AP row for an AP row).
        incomparable = closestDifferences(entry.row, referenceRows.map((candidate) => candidate.row));
      }
    }
    runShown.push({ matchedTo, order, shown: {
      key: uniqueKey(`run:${entry.runId ?? ''}:${entry.row.label}:${entry.row.basis}`),
      label: entry.row.label,
      basis: entry.row.basis,
      metric: knownMetric(entry.row.basis),
      kind: 'run',
      runId: entry.runId,
      cells,
      deltas: isSideBySide ? deltas : null,
      comparedWith,
      incomparable,
      comparableWith: [],
      isReference: reference !== null && entry === runRows.find((candidate) => candidate.runId === firstRunId),
    } });
  });
  const placeOf = (item: (typeof runShown)[number]): number => {
    const at = item.matchedTo === null ? -1 : referenceRows.findIndex((candidate) => candidate.row === item.matchedTo);
    return at < 0 ? referenceRows.length : at;
  };
  rows.push(...[...runShown].sort((left, right) => placeOf(left) - placeOf(right) || left.order - right.order).map((item) => item.shown));

  for (const kind of ['baseline', 'published'] as const) {
    for (const variants of shared.values()) {
      for (const variant of variants) {
        if (variant.row.kind !== kind) continue;
        // Comparable when it measures what some run row measures; else say how it differs from the
        // first. A baseline's score is what makes it the baseline (always "No" scores 1/0): its AP
        // is the floor a run's AP is read against, whatever the run's scores are.
        const options = { isScoreIgnored: kind === 'baseline' };
        const matching = runRows.filter((entry) => basisDifferences(entry.row.basis, variant.row.basis, options).length === 0);
        // Named by the first run's rows where it has them: the others are beside those.
        const ofFirst = matching.filter((entry) => entry.runId === firstRunId);
        const comparableWith = (ofFirst.length > 0 ? ofFirst : matching).map((entry) => runRowName({ kind: 'run', label: entry.row.label, runId: entry.runId }));
        const isComparable = comparableWith.length > 0;
        const whose = variants.length > 1 ? ` (run${variant.runIds.length > 1 ? 's' : ''} ${variant.runIds.map((id) => `#${id}`).join(', ')})` : '';
        rows.push({
          key: uniqueKey(`${kind}:${variant.row.label}:${variant.row.basis}${whose}`),
          label: `${variant.row.label}${whose}`,
          basis: variant.row.basis,
          metric: knownMetric(variant.row.basis),
          kind,
          runId: variant.row.runId,
          cells: align(variant.row, variant.columns),
          deltas: null,
          comparedWith: null,
          incomparable: isComparable || !reference ? [] : closestDifferences(variant.row, referenceRows.map((candidate) => candidate.row), options),
          comparableWith: [...new Set(comparableWith)],
          isReference: false,
        });
      }
    }
  }
  return { ...table, rows, isSideBySide };
}

/** How many characters two labels end alike in ("Run 4 (a): AP" and "Run 5 (b): AP": 4). */
function commonSuffix(left: string, right: string): number {
  let length = 0;
  while (length < left.length && length < right.length && left[left.length - 1 - length] === right[right.length - 1 - length]) length++;
  return length;
}

/**
 * The first run's row another run's row is read against: the same label and basis (a per-primitive
 * row), else the same basis, else the same label with nothing in the bases against it, else the
 * row ending most alike among those whose basis says nothing different. None: not comparable.
 */
function matchingRow<T extends { row: EvalRow }>(row: EvalRow, candidates: readonly T[]): T | null {
  const compatible = candidates.filter((candidate) => basisDifferences(candidate.row.basis, row.basis).length === 0);
  const best = candidates.find((candidate) => candidate.row.label === row.label && candidate.row.basis === row.basis)
    ?? candidates.find((candidate) => candidate.row.basis === row.basis)
    ?? compatible.find((candidate) => candidate.row.label === row.label);
  if (best) return best;
  let closest: T | null = null;
  for (const candidate of compatible) {
    if (closest === null || commonSuffix(candidate.row.label, row.label) > commonSuffix(closest.row.label, row.label)) closest = candidate;
  }
  return closest;
}

/** How `row`'s basis differs from the candidate it differs from least (ties: the label ending most alike). */
function closestDifferences(row: EvalRow, candidates: readonly EvalRow[], options: { isScoreIgnored?: boolean } = {}): string[] {
  let closest: { reasons: string[]; suffix: number } | null = null;
  for (const candidate of candidates) {
    const reasons = basisDifferences(candidate.basis, row.basis, options);
    const suffix = commonSuffix(candidate.label, row.label);
    if (closest === null || reasons.length < closest.reasons.length || (reasons.length === closest.reasons.length && suffix > closest.suffix)) closest = { reasons, suffix };
  }
  return closest?.reasons ?? [];
}

/** Confusion matrices of the chosen runs, grouped by matrix id (one per run in each group). */
export function groupMatrices(reports: readonly EvalReport[]): Array<{ key: string; title: string; benchmark: BenchmarkName; byRun: Array<{ runId: number; model: string; matrix: EvalReport['matrices'][number] }> }> {
  const groups = new Map<string, { key: string; title: string; benchmark: BenchmarkName; byRun: Array<{ runId: number; model: string; matrix: EvalReport['matrices'][number] }> }>();
  for (const report of reports) {
    for (const matrix of report.matrices) {
      const key = `${report.benchmark}/${matrix.id}`;
      const group = groups.get(key) ?? { key, title: matrix.title, benchmark: report.benchmark, byRun: [] };
      group.byRun.push({ runId: report.runId, model: report.model, matrix });
      groups.set(key, group);
    }
  }
  return [...groups.values()];
}

/** Each count's share of its row (what the clip showed, read across): the heat of its cell. */
export function rowShares(counts: readonly (readonly number[])[]): number[][] {
  return counts.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total > 0 ? count / total : 0));
  });
}

// ---------------------------------------------------------------------------------------------
// Copy as Markdown / TSV

/** "#3 AP": a run row by its run and what it measures. */
function runRowName(row: Pick<ShownRow, 'kind' | 'label' | 'runId'>): string {
  return row.kind === 'run' && row.runId !== null ? `#${row.runId} ${shortRowLabel(row)}` : row.label;
}

function rowName(row: ShownRow): string {
  return row.kind === 'run' && row.runId !== null ? `#${row.runId} ${row.label}` : row.label;
}

function basisText(row: ShownRow): string {
  return row.incomparable.length > 0 ? `${row.basis} — not comparable with the run: ${row.incomparable.join('; ')}` : row.basis;
}

function markdownCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** A table as GitHub Markdown: its title, a column for each row's kind and basis, its notes below. */
export function tableMarkdown(table: ShownTable): string {
  const header = ['', ...table.columns.map((column) => column.label), 'Kind', 'Basis'];
  const align = ['---', ...table.columns.map(() => '---:'), '---', '---'];
  const lines = [
    `**${markdownCell(table.title)}** (${BENCHMARK_LABELS[table.benchmark]})`,
    '',
    `| ${header.map(markdownCell).join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...table.rows.map((row) => `| ${[rowName(row), ...row.cells.map((cell) => cell?.display ?? '–'), row.kind, basisText(row)].map(markdownCell).join(' | ')} |`),
  ];
  if (table.notes.length > 0) lines.push('', ...table.notes.map((note) => `- ${markdownCell(note)}`));
  return `${lines.join('\n')}\n`;
}

function tsvCell(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ');
}

/** A table as tab-separated values for a spreadsheet: a header line, then a line per row. */
export function tableTsv(table: ShownTable): string {
  const lines = [
    ['', ...table.columns.map((column) => column.label), 'Kind', 'Basis'],
    ...table.rows.map((row) => [rowName(row), ...row.cells.map((cell) => cell?.display ?? ''), row.kind, basisText(row)]),
  ];
  return `${lines.map((line) => line.map(tsvCell).join('\t')).join('\n')}\n`;
}

/**
 * A run row's name without the run it belongs to ("Run 3 (…/global_step_36/actor): AP" → "AP"):
 * the row already carries the run's number, and the whole label goes in its tooltip.
 */
export function shortRowLabel(row: Pick<ShownRow, 'kind' | 'label' | 'runId'>): string {
  if (row.kind !== 'run' || row.runId === null) return row.label;
  const match = new RegExp(`^Run ${row.runId} \\(.*\\): (.+)$`).exec(row.label);
  return match?.[1] ?? row.label;
}

/** "Camera movement · shotbench": the chip Inspect shows for an Evaluate cell's items. */
export function focusLabel(focus: { benchmark?: BenchmarkName | undefined; split?: string | undefined }): string {
  const split = focus.split ? `${focus.split.charAt(0).toUpperCase()}${focus.split.slice(1)}` : null;
  return [split, focus.benchmark].filter(Boolean).join(' · ');
}
