// Seeded randomness. Every random choice of the synthetic generators goes through here so that one seed
// gives byte-identical ground truth on every machine (Math.random cannot be seeded).

export type Random = () => number;

/** mulberry32: tiny, fast and statistically fine for scene layout. Values in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A 32-bit seed derived from a base seed and labels, so that clip 7's scene does not change
 * when the clip count or another clip's program changes.
 */
export function deriveSeed(seed: number, ...labels: ReadonlyArray<string | number>): number {
  // FNV-1a over the decimal seed and the labels.
  let hash = 0x811c9dc5;
  for (const character of [seed, ...labels].join('\u0000')) {
    hash ^= character.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function between(random: Random, low: number, high: number): number {
  return low + (high - low) * random();
}

export function pickOne<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pickOne: no items');
  return item;
}
