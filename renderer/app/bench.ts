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

export interface BenchHooks {
  framePaints: PaintTiming[];
  libraryPaints: PaintTiming[];
  /** The open clip: its media URLs and how many decoded frames the cache holds. */
  player?: { media: ClipMedia; cachedFrames: () => number };
}

declare global {
  interface Window {
    __frustumBench?: BenchHooks;
  }
}

export function installBenchHooks(): void {
  if (new URLSearchParams(location.search).get('bench') === '1') window.__frustumBench = { framePaints: [], libraryPaints: [] };
}

export function benchHooks(): BenchHooks | undefined {
  return typeof window === 'undefined' ? undefined : window.__frustumBench;
}
