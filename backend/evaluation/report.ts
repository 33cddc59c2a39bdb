// A run scored as each benchmark it holds items of, with its lineage: what `frustum eval` prints
// and the studio's Evaluate view shows (evaluation.report). Each benchmark's scoring is a module
// of its own (./binary, ./vqa, ./captions, ./shotBench); this one finds the run's items and
// hands them over.
import { BENCHMARKS, type BenchmarkName, type EvalReport, type RunLineage } from '../../common/api/contract';
import type { ReadableDB } from '../../db/connection';
import { benchmarksOfProject } from '../../db/benchmarks';
import { hasLegacyBinaryItems, legacyBinarySummary, runBenchmarkCounts, runItemsOfBenchmark, runLegacyBinaryItems } from '../../db/evaluation';
import type { RunRowsBenchmark } from '../../db/inference';
import type { RunRow } from '../../db/runs';
import { binaryReport } from './binary';
import { captionReport } from './captions';
import type { Judge } from './judge';
import { runLineageOf } from './lineage';
import { shotBenchReport } from './shotBench';
import { vqaReport, vqaRunPyReport } from './vqa';

export interface EvaluateOptions {
  /** Only this benchmark (a report with no items when the run holds none of it). */
  benchmark?: BenchmarkName;
  /** The LLM judge for gen_match, ShotBench's unmatched answers and RefineShot's consistency; null: none is asked. */
  judge?: Judge | null;
}

/**
 * Whether the run's CameraBench binary items are its binary Yes/No questions that no benchmark
 * import named: only when it has no camerabench-binary item at all (a project imported before
 * benchmark items existed, the demo), so that such questions never mix with CameraBench's own.
 */
export function usesLegacyBinary(db: ReadableDB, runId: number): boolean {
  return !runBenchmarkCounts(db, runId).some((entry) => entry.benchmark === 'camerabench-binary') && hasLegacyBinaryItems(db, runId);
}

/** The benchmarks the run will be scored as, in BENCHMARKS order. */
export function benchmarksOfRun(db: ReadableDB, runId: number): BenchmarkName[] {
  const held = new Set(runBenchmarkCounts(db, runId).map((entry) => entry.benchmark));
  if (!held.has('camerabench-binary') && hasLegacyBinaryItems(db, runId)) held.add('camerabench-binary');
  return BENCHMARKS.filter((benchmark) => held.has(benchmark));
}

/** inference.rows' filter for an Evaluate cell: the same items the report scored. */
export function rowsFilterOf(db: ReadableDB, runId: number, benchmark: BenchmarkName, split: string | undefined): RunRowsBenchmark {
  const isLegacyBinary = benchmark === 'camerabench-binary' && usesLegacyBinary(db, runId);
  return { benchmark, ...(split !== undefined ? { split } : {}), ...(isLegacyBinary ? { isLegacyBinary } : {}) };
}

async function reportOf(db: ReadableDB, run: RunRow, benchmark: BenchmarkName, judge: Judge | null): Promise<EvalReport> {
  const info = { id: run.id, model: run.model, kind: run.kind };
  switch (benchmark) {
    case 'camerabench-binary': {
      const isLegacy = usesLegacyBinary(db, run.id);
      return binaryReport(info, isLegacy ? runLegacyBinaryItems(db, run.id) : runItemsOfBenchmark(db, run.id, benchmark), { isLegacy });
    }
    case 'camerabench-vqa':
      return vqaReport(info, runItemsOfBenchmark(db, run.id, benchmark));
    case 'camerabench-vqa-runpy':
      return vqaRunPyReport(info, runItemsOfBenchmark(db, run.id, benchmark));
    case 'camerabench-caption':
      return captionReport(info, runItemsOfBenchmark(db, run.id, benchmark), judge);
    case 'shotbench':
    case 'refineshot':
      return shotBenchReport(info, benchmark, runItemsOfBenchmark(db, run.id, benchmark), judge);
    default:
      throw new Error(`unknown benchmark ${JSON.stringify(benchmark satisfies never)}`);
  }
}

/** The run's lineage and a report per benchmark it holds items of (or only `options.benchmark`). */
export async function evaluateRun(db: ReadableDB, projectPath: string, run: RunRow, options: EvaluateOptions = {}): Promise<{ lineage: RunLineage; reports: EvalReport[] }> {
  const benchmarks = options.benchmark !== undefined ? [options.benchmark] : benchmarksOfRun(db, run.id);
  const reports: EvalReport[] = [];
  for (const benchmark of benchmarks) {
    const report = await reportOf(db, run, benchmark, options.judge ?? null);
    if (report.items === 0) report.notes.unshift(`Run ${run.id} holds no item of ${benchmark}: import its question set and ask the model those questions (frustum infer with a filter), or score another run.`);
    reports.push(report);
  }
  return { lineage: runLineageOf(db, projectPath, run), reports };
}

export interface ProjectBenchmark {
  benchmark: BenchmarkName;
  items: number;
  samples: number;
  splits: Array<{ split: string; items: number }>;
}

/**
 * The benchmarks the project's samples are items of, with items per split; where no sample is a
 * CameraBench binary item, its binary Yes/No questions about a primitive stand in (as a run of
 * them is scored: usesLegacyBinary).
 */
export function projectBenchmarks(db: ReadableDB): ProjectBenchmark[] {
  const known = new Set<string>(BENCHMARKS);
  const found = benchmarksOfProject(db).filter((entry): entry is typeof entry & { benchmark: BenchmarkName } => known.has(entry.benchmark));
  const result: ProjectBenchmark[] = found.map((entry) => ({ benchmark: entry.benchmark, items: entry.items, samples: entry.samples, splits: entry.splits }));
  if (!result.some((entry) => entry.benchmark === 'camerabench-binary')) {
    const legacy = legacyBinarySummary(db);
    const items = legacy.reduce((sum, split) => sum + split.items, 0);
    if (items > 0) result.push({ benchmark: 'camerabench-binary', items, samples: items, splits: legacy });
  }
  return BENCHMARKS.flatMap((benchmark) => result.filter((entry) => entry.benchmark === benchmark));
}
