// The metric panels of one run, or of several runs compared on the same charts (one colour per
// run, a dash per key). Which panels show follows the keys the runs logged (./panels.ts); each
// panel reads its columns from the metrics hub and repaints through uPlot's setData once per
// frame. Cursors move together, and so does a zoom.
import { useEffect, useMemo, useRef, useState } from 'react';
import { benchHooks } from '../app/bench';
import { createZoomBus, MetricChart, type ChartLine, type ChartSource } from './MetricChart';
import { columnView } from './metrics';
import type { MetricsHub } from './metricsHub';
import { choosePanels, otherKeys, type Panel } from './panels';
import { buildPlotData, smoothColumn, type PlotSource, type SmoothCache } from './plotData';

export const RUN_COLOURS = ['#5b9cff', '#f0a030', '#3fbf7f', '#c678dd', '#e06c75', '#56b6c2', '#d19a66', '#98c379'];
const KEY_COLOURS = ['#5b9cff', '#3fbf7f', '#f0a030', '#c678dd', '#e06c75', '#56b6c2'];
const KEY_DASHES: Array<number[] | undefined> = [undefined, [6, 3], [2, 3], [8, 3, 2, 3]];

export interface ChartRun {
  jobId: number;
  label: string;
  colour: string;
}

/** The keys logged by any of these runs (what decides the panels). */
function presentKeys(hub: MetricsHub, runs: readonly ChartRun[]): Set<string> {
  const keys = new Set<string>();
  for (const run of runs) for (const key of hub.get(run.jobId)?.columns.keys() ?? []) keys.add(key);
  return keys;
}

export function RunCharts({ hub, runs, smoothing, isLog, extraKeys, onAddKey, onPickStep, pickHint }: {
  hub: MetricsHub;
  /** The run shown first (its rollouts open on a click), then the runs compared with it. */
  runs: readonly ChartRun[];
  smoothing: number;
  isLog: boolean;
  extraKeys: readonly string[];
  onAddKey: (key: string) => void;
  onPickStep?: (step: number) => void;
  pickHint?: string;
}) {
  const runsKey = runs.map((run) => `${run.jobId}:${run.colour}:${run.label}`).join(',');
  // The same runs as before keep the same array: the charts below are rebuilt when it changes.
  const stableRuns = useMemo(() => runs, [runsKey]); // runsKey stands for runs
  // Re-render only when a run logs a key not seen before (a new panel, a new line), or its loading ends.
  const [shape, setShape] = useState('');
  useEffect(() => {
    const check = () => {
      const keys = [...presentKeys(hub, stableRuns)].sort().join('\n');
      const states = stableRuns.map((run) => hub.status(run.jobId)?.status ?? 'loading').join(',');
      setShape(`${states}\n${keys}`);
    };
    const offs = stableRuns.map((run) => hub.watch(run.jobId, check));
    check();
    return () => offs.forEach((off) => off());
  }, [hub, stableRuns]);
  const zoom = useMemo(() => createZoomBus(), [stableRuns]);
  const syncKey = useMemo(() => `train-${Math.random().toString(36).slice(2)}`, []);

  // `shape` changes when the keys do (the hub's columns are read here, not held in state).
  const present = useMemo(() => presentKeys(hub, stableRuns), [hub, stableRuns, shape]);
  const panels = useMemo(() => choosePanels(present, extraKeys), [present, extraKeys]);
  const others = useMemo(() => otherKeys(present, panels), [present, panels]);
  const statuses = stableRuns.map((run) => hub.status(run.jobId));
  const error = statuses.find((status) => status?.status === 'error')?.error;
  const isLoading = statuses.some((status) => !status || status.status === 'loading');

  return (
    <div className="run-charts">
      {panels.length === 0 && (
        <div className="charts-empty muted" data-testid="charts-empty">
          {error ? <span className="bad">Could not read the metrics: {error}</span> : isLoading ? 'Loading metrics…' : 'No metrics logged yet: the charts appear with the first point.'}
        </div>
      )}
      <div className="chart-grid">
        {panels.map((panel) => (
          <ChartPanel
            key={panel.id}
            hub={hub}
            panel={panel}
            runs={stableRuns}
            smoothing={smoothing}
            isLog={isLog}
            syncKey={syncKey}
            zoom={zoom}
            {...(panel.opensRollouts && onPickStep ? { onPickStep } : {})}
            {...(pickHint ? { pickHint } : {})}
          />
        ))}
      </div>
      {others.length > 0 && (
        <label className="add-chart muted">
          more metrics
          <select value="" onChange={(event) => event.target.value && onAddKey(event.target.value)} aria-label="Add a chart for another metric">
            <option value="">add a chart…</option>
            {others.map((key) => <option key={key} value={key}>{key}</option>)}
          </select>
        </label>
      )}
    </div>
  );
}

function faint(colour: string): string {
  return `${colour}55`;
}

function planLines(hub: MetricsHub, keys: readonly string[], runs: readonly ChartRun[], isCompare: boolean, isSmoothed: boolean) {
  const planned: Array<{ jobId: number; key: string }> = [];
  const lines: ChartLine[] = [];
  for (const run of runs) {
    const columns = hub.get(run.jobId)?.columns;
    keys.forEach((key, keyIndex) => {
      if (!columns?.has(key)) return;
      planned.push({ jobId: run.jobId, key });
      const colour = isCompare ? run.colour : (KEY_COLOURS[keyIndex % KEY_COLOURS.length] as string);
      const dash = isCompare ? KEY_DASHES[keyIndex % KEY_DASHES.length] : undefined;
      const label = isCompare ? `${run.label} ${key}` : key;
      const style = dash ? { dash } : {};
      if (isSmoothed) lines.push({ label, stroke: faint(colour), width: 1, isFaint: true, ...style });
      lines.push({ label, stroke: colour, width: isSmoothed ? 1.75 : 1.5, ...(isSmoothed ? { isSmoothed: true } : {}), ...style });
    });
  }
  return { planned, lines };
}

function ChartPanel({ hub, panel, runs, smoothing, isLog, syncKey, zoom, onPickStep, pickHint }: {
  hub: MetricsHub;
  panel: Panel;
  runs: readonly ChartRun[];
  smoothing: number;
  isLog: boolean;
  syncKey: string;
  zoom: ReturnType<typeof createZoomBus>;
  onPickStep?: (step: number) => void;
  pickHint?: string;
}) {
  const isCompare = runs.length > 1;
  const isSmoothed = smoothing > 0;
  // The lines: for each run, each of the panel's keys it logged (raw faint + smoothed, or raw
  // alone), planned on every render (RunCharts renders when a run logs a key for the first
  // time) but kept while they read the same: the chart is created again only when a line comes
  // or goes.
  const computed = planLines(hub, panel.keys, runs, isCompare, isSmoothed);
  const planKey = JSON.stringify(computed);
  const plan = useMemo(() => computed, [planKey]); // planKey stands for computed
  const panelKeys = panel.keys.join('\n');

  const caches = useRef(new Map<string, SmoothCache>());
  const source = useMemo<ChartSource>(() => ({
    getData() {
      const sources: PlotSource[] = plan.planned.map(({ jobId, key }) => {
        const column = hub.get(jobId)?.columns.get(key);
        if (!column) return { steps: new Float64Array(0), lines: isSmoothed ? [new Float64Array(0), new Float64Array(0)] : [new Float64Array(0)] };
        const { steps, values } = columnView(column);
        if (!isSmoothed) return { steps, lines: [values] };
        const cacheKey = `${jobId}\n${key}`;
        const cache = smoothColumn(column, smoothing, caches.current.get(cacheKey));
        caches.current.set(cacheKey, cache);
        return { steps, lines: [values, cache.out.subarray(0, column.length)] };
      });
      return buildPlotData(sources, isLog);
    },
    subscribe(listener) {
      const keys = new Set(panelKeys.split('\n'));
      const offs = runs.map((run) => hub.watch(run.jobId, (changed) => {
        for (const key of changed) {
          if (keys.has(key)) {
            listener();
            return;
          }
        }
      }));
      return () => offs.forEach((off) => off());
    },
  }), [hub, plan, panelKeys, runs, smoothing, isSmoothed, isLog]);

  const primary = runs[0]?.jobId;
  const onPainted = useMemo(() => {
    const hooks = benchHooks();
    if (!hooks || primary === undefined) return undefined;
    return (data: { xs: Float64Array }) => {
      hooks.metricPaints.push({ jobId: primary, panel: panel.id, points: data.xs.length, lastStep: data.xs.length > 0 ? (data.xs[data.xs.length - 1] as number) : null, paintedAt: performance.timeOrigin + performance.now() });
    };
  }, [primary, panel.id]);

  return (
    <section className="panel chart-panel">
      <h4>{panel.title}{panel.opensRollouts && onPickStep && <span className="muted chart-hint"> · click a step for its rollouts</span>}</h4>
      <MetricChart
        testId={`metric-chart-${panel.id}`}
        lines={plan.lines}
        source={source}
        isLog={isLog}
        syncKey={syncKey}
        zoom={zoom}
        {...(onPickStep ? { onPick: onPickStep } : {})}
        {...(pickHint ? { pickHint } : {})}
        {...(onPainted ? { onPainted } : {})}
      />
    </section>
  );
}
