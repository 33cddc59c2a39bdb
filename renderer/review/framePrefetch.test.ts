import { describe, expect, it } from 'vitest';
import { evictionOrder, frameWindow, prefetchOrder } from './framePrefetch';

describe('prefetchOrder', () => {
  it('goes nearest-first around a paused playhead', () => {
    expect(prefetchOrder(5, 100, 7)).toEqual([5, 6, 4, 7, 3, 8, 2]);
  });

  it('leans ahead in the direction of play', () => {
    expect(prefetchOrder(5, 100, 7, 1)).toEqual([5, 6, 7, 4, 8, 9, 3]);
    expect(prefetchOrder(5, 100, 4, -1)).toEqual([5, 4, 3, 6]);
  });

  it('stays inside the clip, covers it all when the window allows, and never repeats', () => {
    expect(prefetchOrder(0, 4, 10)).toEqual([0, 1, 2, 3]);
    expect(prefetchOrder(3, 4, 10).sort()).toEqual([0, 1, 2, 3]);
    const order = prefetchOrder(50, 80, 1000, 1);
    expect(order.length).toBe(80);
    expect(new Set(order).size).toBe(80);
    expect(prefetchOrder(0, 0, 10)).toEqual([]);
  });
});

describe('frameWindow and evictionOrder', () => {
  it('bounds memory', () => {
    expect(frameWindow(640, 360, 256 * 1024 * 1024)).toBe(291);
    expect(frameWindow(8000, 8000, 1024)).toBe(30);
  });
  it('drops the farthest frames first', () => {
    expect(evictionOrder([1, 10, 50, 12], 11)).toEqual([50, 1, 10, 12]);
  });
});
