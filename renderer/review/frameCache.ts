// Decoded frames for instant scrubbing: exact JPEG frames from the host's frame route, fetched
// nearest-first around the playhead (framePrefetch.ts) and kept as ImageBitmaps so that a key
// press paints with one drawImage, no decode. Memory is bounded by a byte budget; the farthest
// frames are closed first.
import { evictionOrder, frameWindow, prefetchOrder } from './framePrefetch';

export interface FrameCacheOptions {
  frameTemplate: string;
  frameCount: number;
  width: number;
  height: number;
  budgetBytes?: number;
  concurrency?: number;
  onError?: (message: string) => void;
}

export interface FrameCache {
  get(index: number): ImageBitmap | undefined;
  /** The cached frame closest to `index` (a stand-in while the exact one loads). */
  nearest(index: number): { index: number; bitmap: ImageBitmap } | undefined;
  /** Move the prefetch window; the exact frame is fetched first. */
  focus(index: number, direction?: 1 | -1 | 0): void;
  /** Called with each frame as it arrives. Returns the unsubscribe function. */
  onLoad(listener: (index: number) => void): () => void;
  readonly size: number;
  dispose(): void;
}

export function frameUrl(template: string, index: number): string {
  return template.replaceAll('{index}', String(index));
}

export function createFrameCache(options: FrameCacheOptions): FrameCache {
  const capacity = frameWindow(options.width, options.height, options.budgetBytes ?? 384 * 1024 * 1024);
  const concurrency = options.concurrency ?? 6;
  const bitmaps = new Map<number, ImageBitmap>();
  const inFlight = new Set<number>();
  const failed = new Set<number>();
  const listeners = new Set<(index: number) => void>();
  const controller = new AbortController();
  let queue: number[] = [];
  let playhead = 0;
  let isDisposed = false;
  let hasReportedError = false;

  async function load(index: number): Promise<void> {
    inFlight.add(index);
    try {
      const response = await fetch(frameUrl(options.frameTemplate, index), { signal: controller.signal });
      if (!response.ok) throw new Error(`frame ${index}: HTTP ${response.status}`);
      const bitmap = await createImageBitmap(await response.blob());
      if (isDisposed) {
        bitmap.close();
        return;
      }
      bitmaps.get(index)?.close();
      bitmaps.set(index, bitmap);
      evict();
      for (const listener of [...listeners]) listener(index);
    } catch (error) {
      if (isDisposed) return;
      failed.add(index);
      if (!hasReportedError) {
        hasReportedError = true;
        options.onError?.(`Could not load clip frames: ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      inFlight.delete(index);
      pump();
    }
  }

  function evict(): void {
    if (bitmaps.size <= capacity) return;
    for (const index of evictionOrder(bitmaps.keys(), playhead)) {
      if (bitmaps.size <= capacity) break;
      bitmaps.get(index)?.close();
      bitmaps.delete(index);
    }
  }

  function pump(): void {
    while (!isDisposed && inFlight.size < concurrency && queue.length > 0) {
      const index = queue.shift() as number;
      if (bitmaps.has(index) || inFlight.has(index) || failed.has(index)) continue;
      void load(index);
    }
  }

  return {
    get: (index) => bitmaps.get(index),
    nearest(index) {
      let best: { index: number; bitmap: ImageBitmap } | undefined;
      for (const [candidate, bitmap] of bitmaps) {
        if (!best || Math.abs(candidate - index) < Math.abs(best.index - index)) best = { index: candidate, bitmap };
      }
      return best;
    },
    focus(index, direction = 0) {
      playhead = index;
      queue = prefetchOrder(index, options.frameCount, capacity, direction).filter((frame) => !bitmaps.has(frame));
      pump();
    },
    onLoad(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return bitmaps.size;
    },
    dispose() {
      isDisposed = true;
      controller.abort();
      for (const bitmap of bitmaps.values()) bitmap.close();
      bitmaps.clear();
      listeners.clear();
    },
  };
}
