// Timing hooks for `npm run bench` and the browser tests, present only when the page URL has
// `bench=1`: the views push paint timings here (performance.now() time base).
import type { ClipMedia } from '../../common/api/contract';

export interface PaintTiming {
  /** When the input event happened (event.timeStamp). */
  inputAt: number;
  /** End of the animation-frame callback that painted the result. */
  paintedAt: number;
  detail: string;
}

/** A Train chart's data reached its canvas (renderer/train/RunCharts.tsx). */
export interface MetricPaint {
  jobId: number;
  panel: string;
  /** Steps on the chart's x axis, and the newest. */
  points: number;
  lastStep: number | null;
  /** Wall-clock ms (performance.timeOrigin + now): the benchmark compares it with when the engine wrote the line. */
  paintedAt: number;
}

/** An Inspect ask's first output on screen (renderer/inspect/SampleInspector.tsx). */
export interface StreamPaint {
  streamId: string;
  /** The backend's clock when it had the first delta (its 'inference.stream' event's `at`). */
  firstDeltaAt: number;
  /** Wall-clock ms (performance.timeOrigin + now) when the text was in the DOM, in the animation frame that paints it: the benchmark compares it with when the server wrote its first token. */
  paintedAt: number;
}

export interface BenchHooks {
  framePaints: PaintTiming[];
  libraryPaints: PaintTiming[];
  metricPaints: MetricPaint[];
  streamPaints: StreamPaint[];
  /** The open clip: its media URLs and how many decoded frames the cache holds. */
  player?: { media: ClipMedia; cachedFrames: () => number };
}

declare global {
  interface Window {
    __frustumBench?: BenchHooks;
  }
}

export function installBenchHooks(): void {
  if (new URLSearchParams(location.search).get('bench') === '1') window.__frustumBench = { framePaints: [], libraryPaints: [], metricPaints: [], streamPaints: [] };
}

export function benchHooks(): BenchHooks | undefined {
  return typeof window === 'undefined' ? undefined : window.__frustumBench;
}
