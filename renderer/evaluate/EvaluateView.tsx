// Evaluate: the project's runs scored as each benchmark's own code scores them (the
// 'evaluation.report' call), drawn in each benchmark's own layout. Runs on the left — click one
// to read it, tick others to set them beside it (the first chosen is what the others' deltas are
// against); on the right the benchmark's tables with every row's basis said and the rows that do
// not measure what the run's row measures flagged, confusable-pair matrices, and the runs'
// lineage. A run's number opens its items in Inspect.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { BenchmarkName, EvalCellLink, EvalReport, InferenceRun, LibraryFilter, MethodResponse } from '../../common/api/contract';
import { errorMessage, useClient, useNotify, useQuery, useRefreshEpoch } from '../app/api';
import { DEFAULT_SORT, type Route } from '../app/route';
import { rememberTrainRun } from '../train/TrainView';
import { engineLabel, formatPercent, isRunGoing, modelLabel, runState } from '../inspect/runLabels';
import { EvalTableView } from './EvalTableView';
import { BENCHMARK_LABELS, groupMatrices, mergeReports } from './evalTables';
import { LineageChain } from './LineageChain';
import { MatrixGroup } from './MatrixView';

type SetRoute = (route: Route, options?: { replace?: boolean }) => void;
type ReportResponse = MethodResponse<'evaluation.report'>;

interface ReportEntry {
  data?: ReportResponse;
  error?: string;
  /** The refresh it answers: an older one's data stays on screen until the new one lands. */
  generation: string;
}

/**
 * Each chosen run's report, asked once per run, benchmark and refresh (a finished inference job,
 * a samples.changed event): ticking a second run asks for that run only.
 */
function useReports(runIds: readonly number[], benchmark: BenchmarkName | undefined, nonce: number) {
  const client = useClient();
  const notify = useNotify();
  const epoch = useRefreshEpoch();
  const generation = `${epoch}:${nonce}`;
  const [entries, setEntries] = useState<ReadonlyMap<string, ReportEntry>>(new Map());
  const entriesRef = useRef(entries);
  entriesRef.current = entries;
  const asked = useRef(new Set<string>());
  const runIdsKey = runIds.join(',');
  useEffect(() => {
    for (const runId of runIdsKey ? runIdsKey.split(',').map(Number) : []) {
      const key = `${runId}|${benchmark ?? ''}`;
      const askKey = `${key}|${generation}`;
      if (entriesRef.current.get(key)?.generation === generation || asked.current.has(askKey)) continue;
      asked.current.add(askKey);
      client.call('evaluation.report', { runId, ...(benchmark ? { benchmark } : {}) }).then(
        (data) => setEntries((current) => new Map(current).set(key, { data, generation })),
        (error: unknown) => {
          setEntries((current) => new Map(current).set(key, { ...current.get(key), error: errorMessage(error), generation }));
          notify('error', `evaluation.report (run #${runId}): ${errorMessage(error)}`);
        },
      ).finally(() => asked.current.delete(askKey));
    }
  }, [client, notify, runIdsKey, benchmark, generation]);
  return runIds.map((runId) => ({ runId, entry: entries.get(`${runId}|${benchmark ?? ''}`), isCurrent: entries.get(`${runId}|${benchmark ?? ''}`)?.generation === generation }));
}

export function EvaluateView({ route, setRoute }: { route: Route; setRoute: SetRoute }) {
  const client = useClient();
  const runsQuery = useQuery('inference.runs', { limit: 200 });
  const benchmarksQuery = useQuery('evaluation.benchmarks', {});
  const runs = useMemo(() => runsQuery.data?.runs ?? [], [runsQuery.data]);
  const [nonce, setNonce] = useState(0);

  // A run that finishes (or stops) has new numbers: its report and the list are read again.
  const reloadRuns = runsQuery.reload;
  useEffect(() => client.on('job.finished', (event) => {
    if (event.kind !== 'infer') return;
    reloadRuns();
    setNonce((value) => value + 1);
  }), [client, reloadRuns]);

  // The runs chosen, in order (the route's, those still listed), else the newest.
  const listed = new Set(runs.map((run) => run.id));
  const chosen = route.evaluate?.runIds.filter((id) => !runsQuery.data || listed.has(id)) ?? [];
  const runIds = chosen.length > 0 ? chosen : runs[0] ? [runs[0].id] : [];
  const benchmark = route.evaluate?.benchmark;
  const choose = (next: number[], nextBenchmark = benchmark) => setRoute({ ...route, evaluate: { runIds: next, ...(nextBenchmark ? { benchmark: nextBenchmark } : {}) } }, { replace: true });
  // One run stays chosen: unticking the last would only fall back to the newest.
  const toggle = (id: number) => {
    if (!runIds.includes(id)) choose([...runIds, id]);
    else if (runIds.length > 1) choose(runIds.filter((other) => other !== id));
  };

  const results = useReports(runIds, benchmark, nonce);
  const reports: EvalReport[] = results.flatMap(({ entry }) => entry?.data?.reports ?? []);
  const lineages = results.flatMap(({ entry }) => (entry?.data ? [entry.data.lineage] : []));
  const failed = results.filter(({ entry }) => entry?.error !== undefined && !entry.data);
  const isLoading = results.some(({ isCurrent }) => !isCurrent);

  const benchmarkOptions = useMemo(() => {
    const options = new Map<BenchmarkName, number | null>();
    for (const item of benchmarksQuery.data?.benchmarks ?? []) options.set(item.benchmark, item.items);
    for (const report of reports) if (!options.has(report.benchmark)) options.set(report.benchmark, null);
    if (benchmark && !options.has(benchmark)) options.set(benchmark, null);
    return [...options];
  }, [benchmarksQuery.data, reports, benchmark]);

  const byBenchmark = useMemo(() => {
    const groups = new Map<BenchmarkName, EvalReport[]>();
    for (const report of reports) groups.set(report.benchmark, [...(groups.get(report.benchmark) ?? []), report]);
    return [...groups];
  }, [reports]);

  const openInspect = (link: EvalCellLink) => setRoute({
    ...route,
    tab: 'inspect',
    inspect: { runId: link.runId, benchmark: link.benchmark, ...(link.split !== undefined ? { split: link.split } : {}) },
  });
  const openLibrary = (filter: LibraryFilter) => setRoute({ ...route, tab: 'library', filter, sort: DEFAULT_SORT, sampleId: null });
  const openTrain = (jobId: number) => {
    rememberTrainRun(jobId);
    setRoute({ ...route, tab: 'train' });
  };
  const runsById = new Map(runs.map((run) => [run.id, run]));

  return (
    <div className="evaluate" data-testid="evaluate">
      <aside className="evaluate-side">
        <div className="train-side-head">
          <h3>Runs</h3>
          <span className="spacer" />
          <span className="muted evaluate-hint">click to read · tick to compare</span>
        </div>
        <ol className="train-runs evaluate-runs" data-testid="evaluate-runs" aria-label="Inference runs">
          {runs.length === 0 && <li className="muted runs-empty">{runsQuery.isLoading ? 'Loading runs…' : 'No runs yet: ask a model in Inspect, or import evaluation results (frustum import --format results).'}</li>}
          {runs.map((run) => (
            <EvaluateRunItem
              key={run.id}
              run={run}
              position={runIds.indexOf(run.id)}
              isCompared={runIds.length > 1}
              onRead={() => choose([run.id])}
              onToggle={() => toggle(run.id)}
              onMakeFirst={() => choose([run.id, ...runIds.filter((id) => id !== run.id)])}
            />
          ))}
        </ol>
      </aside>
      <section className="evaluate-main" data-testid="evaluate-main">
        <header className="evaluate-head">
          <label className="evaluate-pick">
            Benchmark
            <select
              value={benchmark ?? ''}
              onChange={(event) => choose(runIds, (event.target.value || undefined) as BenchmarkName | undefined)}
              data-testid="evaluate-benchmark"
            >
              <option value="">every benchmark the runs hold</option>
              {benchmarkOptions.map(([name, items]) => (
                <option key={name} value={name}>{BENCHMARK_LABELS[name]}{items !== null ? ` · ${items.toLocaleString()} items` : ''}</option>
              ))}
            </select>
          </label>
          {isLoading && <span className="muted" data-testid="evaluate-loading">scoring…</span>}
          <span className="spacer" />
          <Legend />
        </header>
        <div className="evaluate-body">
          {runIds.length === 0 && !runsQuery.isLoading && <div className="empty-view">No runs to score yet.</div>}
          {failed.map(({ runId, entry }) => <div key={runId} className="panel bad">Run #{runId} could not be scored: {entry?.error}</div>)}
          {lineages.length > 0 && <LineageChain lineages={lineages} onOpenLibrary={openLibrary} onOpenTrain={openTrain} />}
          {!isLoading && reports.length === 0 && runIds.length > 0 && failed.length === 0 && (
            <div className="empty-view" data-testid="evaluate-empty">
              {benchmark ? `No items of ${BENCHMARK_LABELS[benchmark]} in ${runIds.length > 1 ? 'these runs' : 'this run'}.` : 'These samples are items of no benchmark the studio scores: import a benchmark (frustum import --format camerabench, shotbench, …) and ask about its items.'}
            </div>
          )}
          {byBenchmark.map(([name, group]) => (
            <BenchmarkSection key={name} benchmark={name} reports={group} runsById={runsById} onOpenInspect={openInspect} />
          ))}
        </div>
      </section>
    </div>
  );
}

function EvaluateRunItem({ run, position, isCompared, onRead, onToggle, onMakeFirst }: {
  run: InferenceRun;
  /** More than one run is chosen. */
  isCompared: boolean;
  /** Where it stands among the chosen runs; −1 when not chosen. */
  position: number;
  onRead: () => void;
  onToggle: () => void;
  onMakeFirst: () => void;
}) {
  const isChosen = position >= 0;
  const state = runState(run);
  return (
    <li
      className={`train-run${isChosen ? ' selected' : ''}`}
      data-testid={`evaluate-run-${run.id}`}
      aria-selected={isChosen}
      onClick={onRead}
    >
      <div className="run-line">
        <input
          type="checkbox"
          checked={isChosen}
          onClick={(event) => event.stopPropagation()}
          onChange={onToggle}
          aria-label={`Compare run #${run.id}`}
          data-testid={`evaluate-compare-${run.id}`}
        />
        <strong>#{run.id}</strong>
        <span className="run-kind">{engineLabel(run)}</span>
        <span className="run-model muted" title={run.settings?.model ?? run.model}>{modelLabel(run)}</span>
        <span className="spacer" />
        {position === 0 && isCompared && <span className="reference-tag" title="The other runs' deltas are against this one">first</span>}
        {position > 0 && (
          <button className="link" onClick={(event) => { event.stopPropagation(); onMakeFirst(); }} title="Read the others against this run">make first</button>
        )}
      </div>
      <div className="run-progress">
        <span className={`job-state ${state === 'imported' || state === 'not started' ? 'unknown' : state}`}>{state}</span>
        <span className="muted">{run.done.toLocaleString()} / {run.samples.toLocaleString()}</span>
        <span className="spacer" />
        <span className="muted" title="CamReasoner's evaluator accuracy over the answered samples">acc {formatPercent(run.accuracy)}</span>
      </div>
      {isRunGoing(run) && <div className="muted lineage compact">still answering: numbers so far</div>}
    </li>
  );
}

const SCORE_SOURCES: Record<EvalReport['scoreSource'], string> = {
  probabilities: 'scores: P(Yes) at the answer token',
  answers: 'scores: the answer letter, 1/0 (no log-probs)',
  mixed: 'scores: P(Yes) where the answer had log-probs, else 1/0',
  'not-applicable': '',
};

function BenchmarkSection({ benchmark, reports, runsById, onOpenInspect }: {
  benchmark: BenchmarkName;
  reports: EvalReport[];
  runsById: ReadonlyMap<number, InferenceRun>;
  onOpenInspect: (link: EvalCellLink) => void;
}) {
  const tables = useMemo(() => mergeReports(reports), [reports]);
  const matrices = useMemo(() => groupMatrices(reports), [reports]);
  return (
    <section className="evaluate-section" data-testid={`evaluate-benchmark-${benchmark}`}>
      <h2>{BENCHMARK_LABELS[benchmark]}</h2>
      <ul className="evaluate-report-heads">
        {reports.map((report) => (
          <li key={report.runId} data-testid="evaluate-report-head">
            <strong>#{report.runId}</strong> {modelOf(report, runsById)}
            <span className="muted"> · {report.answered.toLocaleString()} of {report.items.toLocaleString()} items answered{SCORE_SOURCES[report.scoreSource] ? ` · ${SCORE_SOURCES[report.scoreSource]}` : ''}</span>
            {report.notes.length > 0 && <ul className="evaluate-notes muted">{report.notes.map((note) => <li key={note}>{note}</li>)}</ul>}
          </li>
        ))}
      </ul>
      {tables.map((table) => <EvalTableView key={table.key} table={table} onOpenInspect={onOpenInspect} />)}
      {matrices.length > 0 && <h3 className="evaluate-matrices-head">Confusable pairs: what the model said, by what the clip shows</h3>}
      {matrices.length > 0 && (
        <div className="evaluate-matrices">
          {matrices.map((group) => <MatrixGroup key={group.key} group={group} />)}
        </div>
      )}
    </section>
  );
}

function modelOf(report: EvalReport, runsById: ReadonlyMap<number, InferenceRun>): string {
  const run = runsById.get(report.runId);
  return run ? modelLabel(run) : report.model;
}

function Legend() {
  return (
    <div className="evaluate-legend" data-testid="evaluate-legend">
      <span className="legend-item"><span className="legend-swatch run" />run: scored here</span>
      <span className="legend-item"><span className="legend-swatch baseline" />baseline: computed here on the same items</span>
      <span className="legend-item"><span className="legend-swatch published" />published: quoted, source in its basis</span>
      <span className="legend-item"><span className="basis-flag">≠</span> measured otherwise than the run: not comparable</span>
    </div>
  );
}
