// Loads opencv.js once per thread. It is a single-threaded WebAssembly build whose runtime
// starts asynchronously: the module object exists at once, its functions only after
// `onRuntimeInitialized`. Awaiting the module itself never settles (its `then` resolves to the
// module again), hence the explicit callback, `require` rather than `import()` (an ESM wrapper
// that copies the CommonJS exports makes the namespace a thenable too), and the wrapping below.
//
// Only the handful of calls the analyzer makes are typed here: the package's own declarations
// cover the whole library and are looser where it matters (every array is `InputArray`).

import { createRequire } from 'node:module';

export interface CvMat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data32F: Float32Array;
  data64F: Float64Array;
  delete(): void;
}

export interface OpenCv {
  Mat: new (...args: unknown[]) => CvMat;
  Size: new (width: number, height: number) => unknown;
  TermCriteria: new (type: number, maxCount: number, epsilon: number) => unknown;
  matFromArray(rows: number, cols: number, type: number, array: ArrayLike<number>): CvMat;
  goodFeaturesToTrack(image: CvMat, corners: CvMat, maxCorners: number, qualityLevel: number, minDistance: number, mask: CvMat, blockSize: number): void;
  calcOpticalFlowPyrLK(
    previous: CvMat, next: CvMat, previousPoints: CvMat, nextPoints: CvMat, status: CvMat, error: CvMat,
    windowSize: unknown, maxLevel: number, criteria: unknown,
  ): void;
  findHomography(source: CvMat, destination: CvMat, method: number, threshold: number, mask: CvMat): CvMat;
  CV_8UC1: number;
  CV_32FC2: number;
  RANSAC: number;
  TERM_CRITERIA_EPS: number;
  TERM_CRITERIA_COUNT: number;
  onRuntimeInitialized?: () => void;
}

// The module is a thenable whose `then` hands back the module itself, so resolving a promise
// with it loops forever: it travels wrapped in an object.
let loading: Promise<{ cv: OpenCv }> | null = null;

/** Resolves to `{ cv }`: never to the module itself (see above). */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  loading ??= (async () => {
    const cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv;
    if (typeof cv.Mat !== 'function' || typeof cv.calcOpticalFlowPyrLK !== 'function') {
      await new Promise<void>((resolve) => {
        cv.onRuntimeInitialized = resolve;
      });
    }
    return { cv };
  })();
  return loading;
}
