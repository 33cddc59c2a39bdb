// Frame numbers on the motion timeline as the person reads them everywhere else: the player says
// "frame 1 / 50" (1-based, whole frames), so the timeline's axis, legend and segment labels count
// the same way, over the whole clip. The player's API (seek, state.frame) stays 0-based: convert
// at the edge, here.

/** The timeline's x for a moment of the clip: 1-based clip frames (fractional between frames). */
export function frameAtSeconds(seconds: number, fps: number): number {
  return seconds * fps + 1;
}

/** The whole frame, 1…frameCount, nearest an x of the timeline. */
export function nearestFrame(x: number, frameCount: number): number {
  return Math.min(Math.max(Math.round(x), 1), Math.max(1, frameCount));
}

/**
 * Tick steps of the frame axis: whole frames only (uPlot picks the smallest that leaves room
 * between labels, so a zoomed-in axis still never reads 12.5).
 */
export const FRAME_TICK_STEPS: readonly number[] = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];

/**
 * The x values of the plot: the points' own, with the clip's first and last frame added at the
 * ends where the points stop short of them (uPlot scales x to the data, and the analyzer's
 * points sit between its sampled frames, so the line alone ended near frame 44 of 50).
 * `before` and `after` count the frames added: their series values are null (no reading there).
 */
export function padToClip(pointFrames: readonly number[], frameCount: number): { xs: number[]; before: number; after: number } {
  const last = Math.max(2, frameCount);
  const before = pointFrames.length === 0 || (pointFrames[0] as number) > 1 ? 1 : 0;
  const after = pointFrames.length === 0 || (pointFrames.at(-1) as number) < last ? 1 : 0;
  return { xs: [...(before ? [1] : []), ...pointFrames, ...(after ? [last] : [])], before, after };
}

/** Index of the point nearest `frame` in sorted `pointFrames` (-1 when there are none). */
export function nearestPointIndex(pointFrames: readonly number[], frame: number): number {
  if (pointFrames.length === 0) return -1;
  let low = 0;
  let high = pointFrames.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((pointFrames[middle] as number) < frame) low = middle + 1;
    else high = middle;
  }
  if (low > 0 && frame - (pointFrames[low - 1] as number) <= (pointFrames[low] as number) - frame) return low - 1;
  return low;
}

/** A value for the legend: a few significant digits, never "--". */
export function formatValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const size = Math.abs(value);
  const digits = size >= 100 ? 0 : size >= 10 ? 1 : 2;
  return value.toFixed(digits);
}
