// Bounded concurrency for media work. Decoding is CPU-bound and each ffmpeg already uses
// threads, so running one process per core keeps the machine busy without thrashing; a
// batch of 10,000 clips must not start 10,000 processes.
import { availableParallelism } from 'node:os';
import { abortError } from './process';

export function defaultConcurrency(): number {
  return Math.max(1, Math.min(availableParallelism(), 8));
}

export interface Limiter {
  <T>(task: () => Promise<T>): Promise<T>;
  readonly concurrency: number;
  /** Tasks running now. */
  active(): number;
  /** Tasks waiting for a slot. */
  pending(): number;
}

/** Runs at most `concurrency` tasks at once; the others wait in order. */
export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  let running = 0;
  const queue: Array<() => void> = [];
  const release = (): void => {
    running--;
    const next = queue.shift();
    if (next) next();
  };
  const limit = <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        running++;
        let promise: Promise<T>;
        try {
          promise = task();
        } catch (error) {
          promise = Promise.reject(error as Error);
        }
        promise.then(resolve, reject).finally(release);
      };
      if (running < concurrency) start();
      else queue.push(start);
    });
  return Object.assign(limit, {
    concurrency,
    active: () => running,
    pending: () => queue.length,
  });
}

// One pool for all ffmpeg/ffprobe processes of this host, so that a batch probe, a filmstrip
// and the analyzer's decoding share the cores instead of each assuming it has them all.
let shared: Limiter | null = null;

export function mediaLimiter(): Limiter {
  shared ??= createLimiter(defaultConcurrency());
  return shared;
}

export interface MapPoolOptions {
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * `worker` over every item with bounded concurrency; results in input order. The worker
 * should not throw for a bad item (return a result that says so): one throw rejects the map
 * once the running workers have finished. Abort stops starting new items.
 */
export async function mapPool<Item, Result>(
  items: readonly Item[],
  worker: (item: Item, index: number) => Promise<Result>,
  options: MapPoolOptions = {},
): Promise<Result[]> {
  const concurrency = options.concurrency ?? defaultConcurrency();
  const results = new Array<Result>(items.length);
  let next = 0;
  let done = 0;
  let failure: unknown = null;
  options.onProgress?.(0, items.length);
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      if (options.signal?.aborted) {
        failure = abortError(options.signal);
        return;
      }
      const index = next++;
      try {
        results[index] = await worker(items[index] as Item, index);
      } catch (error) {
        failure ??= error;
        return;
      }
      done++;
      options.onProgress?.(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  if (failure !== null) throw failure;
  return results;
}
