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
import { decimate, indexAtOrAfter, nearestIndex, type PlotData } from './plotData';

export interface ChartLine {
  label: string;
  stroke: string;
  width: number;
  dash?: number[];
  /** A faint raw line under a smoothed one: drawn, but not in the legend. */
  isFaint?: boolean;
  /** A smoothed curve (not logged values: no dots on it). */
  isSmoothed?: boolean;
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

/** The y axis as wide as its longest label (1e-4 and 0.0025 need more room than 0.5). */
function axisWidth(_plot: uPlot, values: string[] | null): number {
  // uPlot's axis font is 12px: about 7 px a character, plus the ticks and the gap.
  const longest = (values ?? []).reduce((width, value) => Math.max(width, value.length), 3);
  return Math.ceil(longest * 7.2) + 20;
}

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

/** A line's value at `index`, or at the nearest step where it has one (eval_loss is logged now and then). */
function valueNear(column: ArrayLike<number | null> | undefined, index: number): number | null {
  if (!column) return null;
  for (let distance = 0; distance < column.length; distance++) {
    const before = column[index - distance];
    if (before !== null && before !== undefined) return before;
    const after = column[index + distance];
    if (after !== null && after !== undefined) return after;
    if (index - distance < 0 && index + distance >= column.length) break;
  }
  return null;
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
    /** Every point, as the source has them: the legend and a pick read these, the canvas a reduction of them. */
    let full = source.getData();
    /** The steps shown when zoomed (shared through the bus), else null: all of them. */
    let range = zoom?.range ?? null;
    const styles = getComputedStyle(document.documentElement);
    const axisStroke = styles.getPropertyValue('--text-muted').trim() || '#888';
    const grid = { stroke: 'rgba(128,128,128,0.14)', width: 1 };
    // The point count goes on the element for tests and the benchmark; React hears only of "some now".
    const countPoints = () => {
      if (rootRef.current) rootRef.current.dataset['points'] = String(full.xs.length);
      setHasPoints(full.xs.length > 0);
    };

    const legendValues = () => legendRef.current?.querySelectorAll<HTMLElement>('[data-line]') ?? [];
    /** The legend at the step under the pointer (`left`, CSS px in the plot), or each line's newest value. */
    const showValues = (plot: uPlot, left: number | null) => {
      const xs = full.xs;
      const at = left === null ? -1 : nearestIndex(xs, plot.posToVal(left, 'x'));
      for (const element of legendValues()) {
        const column = full.ys[Number(element.dataset['line'])];
        element.textContent = formatMetric(at >= 0 ? valueNear(column, at) : lastValue(column).value);
      }
      if (stepRef.current) stepRef.current.textContent = at >= 0 ? `step ${formatStep(xs[at])}` : `latest ${formatStep(xs[xs.length - 1])}`;
    };

    let plot: uPlot | null = null;
    /** What the canvas gets: the range shown, one column of points per pixel (./plotData.ts decimate). */
    const shown = (): PlotData => {
      const xs = full.xs;
      let from = 0;
      let to = xs.length;
      if (range) {
        // One point beyond each edge, so that the lines run off the plot instead of stopping short.
        from = Math.max(0, indexAtOrAfter(xs, range.min) - 1);
        to = Math.min(xs.length, indexAtOrAfter(xs, range.max) + 1);
      }
      const pixels = plot ? plot.bbox.width / devicePixelRatio : host.clientWidth;
      return decimate(full, from, to, Math.max(64, Math.round(pixels)));
    };
    const toAligned = (plotData: PlotData): uPlot.AlignedData => [plotData.xs, ...plotData.ys];
    const draw = () => {
      if (!plot) return;
      const target = plot;
      const data = shown();
      target.batch(() => {
        target.setData(toAligned(data), range === null);
        if (range) target.setScale('x', range);
      });
    };
    const zoomTo = (next: { min: number; max: number } | null) => {
      range = next;
      draw();
    };

    const options: uPlot.Options = {
      width: Math.max(240, host.clientWidth),
      height,
      scales: { x: { time: false }, y: isLog ? { distr: 3 } : {} },
      axes: [
        { stroke: axisStroke, grid, ticks: grid, size: 26, incrs: STEP_INCREMENTS, values: (_plot, splits) => splits.map((value) => formatStep(value)) },
        { stroke: axisStroke, grid, ticks: grid, size: axisWidth, values: (_plot, splits) => splits.map((value) => formatMetric(value)) },
      ],
      series: [
        { label: 'step' },
        ...chartLines.map((line, index): uPlot.Series => ({
          label: line.label,
          stroke: line.stroke,
          width: line.width,
          ...(line.dash ? { dash: line.dash } : {}),
          spanGaps: true,
          // Dots mark logged points where there are few: on the raw values, never on a smoothed curve.
          points: { show: line.isSmoothed ? false : () => (full.counts[index] ?? 0) < SPARSE_POINTS, size: line.isFaint ? 4 : 5, fill: line.stroke, stroke: line.stroke },
        })),
      ],
      cursor: {
        // The selection is ours to apply (the canvas holds a reduction of the range shown).
        drag: { x: true, y: false, setScale: false },
        hover: { skip: [null, undefined] },
        ...(syncKey ? { sync: { key: syncKey, setSeries: false } } : {}),
        points: { size: 6 },
        // uPlot's double-click would fit the reduced data shown; ours shows every step.
        bind: { dblclick: () => null },
      },
      legend: { show: false },
      hooks: {
        setCursor: [(target) => {
          const left = target.cursor.left;
          showValues(target, left === undefined || left < 0 ? null : left);
        }],
        setSelect: [(target) => {
          const select = target.select;
          if (select.width <= 2) return;
          const next = { min: target.posToVal(select.left, 'x'), max: target.posToVal(select.left + select.width, 'x') };
          target.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          zoomTo(next);
          zoom?.set(next, target);
        }],
      },
    };
    plot = new uPlot(options, toAligned(shown()), host);
    const created = plot;
    if (range) draw();
    showValues(created, null);
    countPoints();

    const paintedSoon = () => {
      const painted = onPaintedRef.current;
      if (painted) {
        const data = full;
        requestAnimationFrame(() => painted(data));
      }
    };
    paintedSoon();
    const offSource = source.subscribe(() => {
      full = source.getData();
      draw();
      const left = created.cursor.left;
      if (left === undefined || left < 0) showValues(created, null);
      countPoints();
      paintedSoon();
    });
    const offZoom = zoom?.subscribe((next, origin) => {
      if (origin !== created) zoomTo(next);
    });

    let downX = 0;
    const onDown = (event: MouseEvent) => {
      downX = event.clientX;
    };
    const onUp = (event: MouseEvent) => {
      const pick = onPickRef.current;
      const left = created.cursor.left;
      if (!pick || Math.abs(event.clientX - downX) > 3 || left === undefined || left < 0) return;
      const index = nearestIndex(full.xs, created.posToVal(left, 'x'));
      if (index >= 0) pick(full.xs[index] as number);
    };
    const onDouble = () => {
      zoomTo(null);
      zoom?.set(null, created);
    };
    created.over.addEventListener('mousedown', onDown);
    created.over.addEventListener('mouseup', onUp);
    created.over.addEventListener('dblclick', onDouble);
    const onLeave = () => showValues(created, null);
    created.over.addEventListener('mouseleave', onLeave);
    const observer = new ResizeObserver(() => {
      const width = Math.max(240, host.clientWidth);
      if (width === created.width) return;
      created.setSize({ width, height });
      // A column of points per pixel: as many columns as the new width.
      draw();
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      offSource();
      offZoom?.();
      created.destroy();
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
