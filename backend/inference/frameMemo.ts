// The frames of the clips asked about most recently, kept in memory up to a byte budget: a
// CameraBench clip is asked 15 questions, and extracting its frames (ffmpeg, decoding the clip)
// costs more than streaming the answer from a fast server. Concurrent requests for one clip
// share one extraction. A failed extraction is not kept (the next question tries again).
import type { ExtractedFrames } from './camReasonerRequest';

export interface FrameMemo {
  get(key: string, extract: () => Promise<ExtractedFrames>): Promise<ExtractedFrames>;
}

/** Hand-written: a Map in insertion order is an LRU in a dozen lines; no package does the shared in-flight promise with a byte budget more simply. */
export function createFrameMemo(maxBytes: number): FrameMemo {
  const entries = new Map<string, { promise: Promise<ExtractedFrames>; bytes: number }>();
  let total = 0;
  const evict = () => {
    for (const [key, entry] of entries) {
      if (total <= maxBytes || entries.size <= 1) break;
      entries.delete(key);
      total -= entry.bytes;
    }
  };
  return {
    get(key, extract) {
      const found = entries.get(key);
      if (found !== undefined) {
        // Most recently used last.
        entries.delete(key);
        entries.set(key, found);
        return found.promise;
      }
      const entry = { promise: extract(), bytes: 0 };
      entries.set(key, entry);
      entry.promise.then(
        (extracted) => {
          if (entries.get(key) !== entry) return;
          entry.bytes = extracted.images.reduce((sum, image) => sum + image.length, 0);
          total += entry.bytes;
          evict();
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.promise;
    },
  };
}
