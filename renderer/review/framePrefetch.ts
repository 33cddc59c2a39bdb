// Which frames to fetch next: nearest first around the playhead, leaning toward the direction
// of play, inside a window bounded by the memory a decoded frame takes. Pure, so the order is
// unit-tested; the cache (frameCache.ts) does the fetching and evicting.

/** Frame indices in fetch order: the playhead, then alternating ahead/behind, `ahead` weighted. */
export function prefetchOrder(playhead: number, frameCount: number, windowSize: number, direction: 1 | -1 | 0 = 0): number[] {
  const order: number[] = [];
  if (frameCount <= 0 || windowSize <= 0) return order;
  const center = Math.min(Math.max(Math.round(playhead), 0), frameCount - 1);
  const limit = Math.min(windowSize, frameCount);
  order.push(center);
  // While playing, two frames ahead for each frame behind; paused, symmetric.
  const aheadPerBehind = direction === 0 ? 1 : 2;
  const step = direction === -1 ? -1 : 1;
  let ahead = 1;
  let behind = 1;
  const inside = (frame: number) => frame >= 0 && frame < frameCount;
  while (order.length < limit && (inside(center + step * ahead) || inside(center - step * behind))) {
    for (let index = 0; index < aheadPerBehind && order.length < limit; index++, ahead++) {
      if (inside(center + step * ahead)) order.push(center + step * ahead);
    }
    if (order.length < limit && inside(center - step * behind)) order.push(center - step * behind);
    behind++;
  }
  return order;
}

/** How many decoded frames fit in `budgetBytes` (RGBA), at least `minimum`. */
export function frameWindow(width: number, height: number, budgetBytes: number, minimum = 30): number {
  const perFrame = Math.max(1, width * height * 4);
  return Math.max(minimum, Math.floor(budgetBytes / perFrame));
}

/** The frames to drop when over capacity: farthest from the playhead first. */
export function evictionOrder(cached: Iterable<number>, playhead: number): number[] {
  return [...cached].sort((left, right) => Math.abs(right - playhead) - Math.abs(left - playhead));
}
