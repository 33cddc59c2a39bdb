// One metric panel drawn with uPlot: lines over training steps, faint raw values under their
// smoothed curves, a log or linear y axis, a legend that reads the values under the pointer
// (or the newest values when the pointer is elsewhere), drag to zoom (every chart of the group
// follows), double-click to zoom out, and a click that picks a step (the reward chart opens that
// step's rollouts).
//
// Built for live data at 100k points: the chart is created once per set of lines and theme,
// and new points reach it through `source` and uPlot's setData, never through a React render;
// the legend's values are written straight into its DOM nodes on cursor moves.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import { formatMetric, formatStep } from './format';
import type { PlotData } from './plotData';

export interface ChartLine {
  label: string;
  stroke: string;
  width: number;
  dash?: number[];
  /** A faint raw line under a smoothed one: drawn, but not in the legend. */
  isFaint?: boolean;
}

/** Where a chart's data comes from: read now, and hear when it changed (once per frame at most). */
export interface ChartSource {
  getData(): PlotData;
  subscribe(listener: () => void): () => void;
}

/** The x range every chart of a group shows (null: all of it), so zooming one zooms them all. */
export interface ZoomBus {
  range: { min: number; max: number } | null;
  set(range: { min: number; max: number } | null, origin: unknown): void;
  subscribe(listener: (range: { min: number; max: number } | null, origin: unknown) => void): () => void;
}

export function createZoomBus(): ZoomBus {
  const listeners = new Set<(range: { min: number; max: number } | null, origin: unknown) => void>();
  const bus: ZoomBus = {
    range: null,
    set(range, origin) {
      bus.range = range;
      for (const listener of [...listeners]) listener(range, origin);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return bus;
}

const STEP_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
/** Lines with fewer points than this get dots (eval_loss every 500 steps is a handful of points). */
const SPARSE_POINTS = 150;

export interface MetricChartProps {
  testId: string;
  lines: readonly ChartLine[];
  source: ChartSource;
  isLog: boolean;
  height?: number;
  /** Charts with the same key move their cursors together. */
  syncKey?: string;
  zoom?: ZoomBus;
  /** A click (not a drag) on the plot: the step under the pointer. */
  onPick?: (step: number) => void;
  pickHint?: string;
  /** After the data reached the canvas (the frame after setData): for the benchmark's hooks. */
  onPainted?: (data: PlotData) => void;
  emptyText?: string;
}

function useThemeName(): string | undefined {
  const [theme, setTheme] = useState(() => document.documentElement.dataset['theme']);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset['theme']));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

function lastValue(column: ArrayLike<number | null> | undefined): { value: number | null; index: number } {
  if (!column) return { value: null, index: -1 };
  for (let index = column.length - 1; index >= 0; index--) {
    const value = column[index];
    if (value !== null && value !== undefined && Number.isFinite(value)) return { value, index };
  }
  return { value: null, index: -1 };
}

export function MetricChart({ testId, lines, source, isLog, height = 168, syncKey, zoom, onPick, pickHint, onPainted, emptyText = 'no points yet' }: MetricChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const stepRef = useRef<HTMLSpanElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const theme = useThemeName();
  const [hasPoints, setHasPoints] = useState(false);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const onPaintedRef = useRef(onPainted);
  onPaintedRef.current = onPainted;
  const linesKey = JSON.stringify(lines);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const chartLines = JSON.parse(linesKey) as ChartLine[];
    let data = source.getData();
    let counts = data.counts;
    const styles = getComputedStyle(document.documentElement);
    const axisStroke = styles.getPropertyValue('--text-muted').trim() || '#888';
    const grid = { stroke: 'rgba(128,128,128,0.14)', width: 1 };
    // The zoom the person chose survives new points; without one, each setData fits all of them.
    let isZoomed = zoom?.range != null;
    // The point count goes on the element for tests and the benchmark; React hears only of "some now".
    const countPoints = () => {
      if (rootRef.current) rootRef.current.dataset['points'] = String(data.xs.length);
      setHasPoints(data.xs.length > 0);
    };

    const legendValues = () => legendRef.current?.querySelectorAll<HTMLElement>('[data-line]') ?? [];
    const showValues = (plot: uPlot, index: number | null | undefined) => {
      const isHover = index !== null && index !== undefined && index >= 0;
      const xs = plot.data[0] as ArrayLike<number>;
      let shownStep: number | null = null;
      for (const element of legendValues()) {
        const line = Number(element.dataset['line']);
        const column = plot.data[line + 1] as ArrayLike<number | null> | undefined;
        let at = -1;
        if (isHover) at = plot.cursor.idxs?.[line + 1] ?? index;
        else at = lastValue(column).index;
        const value = at >= 0 && column ? column[at] : null;
        element.textContent = formatMetric(value);
        if (shownStep === null && at >= 0) shownStep = xs[at] ?? null;
      }
      if (stepRef.current) stepRef.current.textContent = `${isHover ? 'step' : 'latest'} ${formatStep(isHover ? xs[index] : shownStep)}`;
    };

    const options: uPlot.Options = {
      width: Math.max(240, host.clientWidth),
      height,
      scales: { x: { time: false }, y: isLog ? { distr: 3 } : {} },
      axes: [
        { stroke: axisStroke, grid, ticks: grid, size: 26, incrs: STEP_INCREMENTS, values: (_plot, splits) => splits.map((value) => formatStep(value)) },
        { stroke: axisStroke, grid, ticks: grid, size: 52, values: (_plot, splits) => splits.map((value) => formatMetric(value)) },
      ],
      series: [
        { label: 'step' },
        ...chartLines.map((line, index): uPlot.Series => ({
          label: line.label,
          stroke: line.stroke,
          width: line.width,
          ...(line.dash ? { dash: line.dash } : {}),
          spanGaps: true,
          points: { show: line.isFaint ? false : () => (counts[index] ?? 0) < SPARSE_POINTS, size: 5 },
        })),
      ],
      cursor: {
        drag: { x: true, y: false, setScale: true },
        hover: { skip: [null, undefined] },
        ...(syncKey ? { sync: { key: syncKey, setSeries: false } } : {}),
        points: { size: 6 },
      },
      legend: { show: false },
      hooks: {
        setCursor: [(plot) => showValues(plot, plot.cursor.idx)],
        setSelect: [(plot) => {
          if (plot.select.width <= 2) return;
          isZoomed = true;
          const range = { min: plot.posToVal(plot.select.left, 'x'), max: plot.posToVal(plot.select.left + plot.select.width, 'x') };
          zoom?.set(range, plot);
        }],
      },
    };
    const toAligned = (plotData: PlotData): uPlot.AlignedData => [plotData.xs, ...plotData.ys];
    const plot = new uPlot(options, toAligned(data), host);
    if (isZoomed && zoom?.range) plot.setScale('x', zoom.range);
    showValues(plot, null);
    countPoints();

    const paintedSoon = () => {
      const painted = onPaintedRef.current;
      if (painted) {
        const shown = data;
        requestAnimationFrame(() => painted(shown));
      }
    };
    paintedSoon();
    const offSource = source.subscribe(() => {
      data = source.getData();
      counts = data.counts;
      plot.setData(toAligned(data), !isZoomed);
      if (isZoomed && zoom?.range) plot.setScale('x', zoom.range);
      if (plot.cursor.idx === null || plot.cursor.idx === undefined || (plot.cursor.left ?? -1) < 0) showValues(plot, null);
      countPoints();
      paintedSoon();
    });
    const offZoom = zoom?.subscribe((range, origin) => {
      if (origin === plot) return;
      isZoomed = range !== null;
      if (range) plot.setScale('x', range);
      else plot.setData(toAligned(data), true);
    });

    let downX = 0;
    const onDown = (event: MouseEvent) => {
      downX = event.clientX;
    };
    const onUp = (event: MouseEvent) => {
      const pick = onPickRef.current;
      if (!pick || Math.abs(event.clientX - downX) > 3) return;
      const index = plot.cursor.idx;
      const xs = plot.data[0] as ArrayLike<number>;
      if (index === null || index === undefined || index < 0 || index >= xs.length) return;
      pick(xs[index] as number);
    };
    const onDouble = () => {
      isZoomed = false;
      plot.setData(toAligned(data), true);
      zoom?.set(null, plot);
    };
    plot.over.addEventListener('mousedown', onDown);
    plot.over.addEventListener('mouseup', onUp);
    plot.over.addEventListener('dblclick', onDouble);
    const onLeave = () => showValues(plot, null);
    plot.over.addEventListener('mouseleave', onLeave);
    const observer = new ResizeObserver(() => {
      const width = Math.max(240, host.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      offSource();
      offZoom?.();
      plot.destroy();
    };
  }, [linesKey, source, isLog, height, syncKey, zoom, theme]);

  const legend = lines.map((line, index) => ({ line, index })).filter(({ line }) => !line.isFaint);
  return (
    <div className={onPick ? 'metric-chart pickable' : 'metric-chart'} data-testid={testId} ref={rootRef} title={onPick ? pickHint : undefined}>
      <div className="metric-legend" ref={legendRef}>
        <span className="metric-step" ref={stepRef} />
        {legend.map(({ line, index }) => (
          <span key={index} className="metric-legend-item">
            <span className={line.dash ? 'legend-swatch dashed' : 'legend-swatch'} style={{ background: line.stroke }} />
            {line.label} <span className="legend-value" data-line={index}>–</span>
          </span>
        ))}
      </div>
      <div className="metric-plot-box">
        <div className="metric-plot" ref={hostRef} />
        {!hasPoints && <div className="metric-empty muted">{emptyText}</div>}
      </div>
    </div>
  );
}
