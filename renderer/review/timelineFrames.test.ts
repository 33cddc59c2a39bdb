import { describe, expect, it } from 'vitest';
import { formatValue, FRAME_TICK_STEPS, frameAtSeconds, nearestFrame, nearestPointIndex, padToClip } from './timelineFrames';

describe('timeline frames', () => {
  it('counts clip frames from 1, as the player shows them', () => {
    expect(frameAtSeconds(0, 25)).toBe(1);
    expect(frameAtSeconds(1.96, 25)).toBeCloseTo(50);
    // The analyzer's first point (8 fps sampling, between sampled frames 1 and 2) on a 25 fps clip.
    expect(frameAtSeconds(0.0625, 25)).toBeCloseTo(2.5625);
  });

  it('rounds a position to a whole frame inside the clip', () => {
    expect(nearestFrame(29.6, 50)).toBe(30);
    expect(nearestFrame(0.2, 50)).toBe(1);
    expect(nearestFrame(-3, 50)).toBe(1);
    expect(nearestFrame(50.4, 50)).toBe(50);
    expect(nearestFrame(80, 50)).toBe(50);
    expect(nearestFrame(3, 0)).toBe(1);
  });

  it('pads the points out to the first and last frame of the clip', () => {
    expect(padToClip([2.5, 10, 46.3], 50)).toEqual({ xs: [1, 2.5, 10, 46.3, 50], before: 1, after: 1 });
    expect(padToClip([1, 50], 50)).toEqual({ xs: [1, 50], before: 0, after: 0 });
    expect(padToClip([], 50)).toEqual({ xs: [1, 50], before: 1, after: 1 });
    expect(padToClip([1], 1)).toEqual({ xs: [1, 2], before: 0, after: 1 });
  });

  it('finds the point nearest a frame', () => {
    const frames = [2.5, 5.6, 8.8, 11.9];
    expect(nearestPointIndex(frames, 1)).toBe(0);
    expect(nearestPointIndex(frames, 5)).toBe(1);
    expect(nearestPointIndex(frames, 7)).toBe(1);
    expect(nearestPointIndex(frames, 8)).toBe(2);
    expect(nearestPointIndex(frames, 50)).toBe(3);
    expect(nearestPointIndex([], 3)).toBe(-1);
  });

  it('ticks whole frames only and formats legend values without "--"', () => {
    expect(FRAME_TICK_STEPS.every((step) => Number.isInteger(step))).toBe(true);
    expect(formatValue(0.14298)).toBe('0.14');
    expect(formatValue(-12.345)).toBe('-12.3');
    expect(formatValue(250.6)).toBe('251');
    expect(formatValue(undefined)).toBe('–');
    expect(formatValue(Number.NaN)).toBe('–');
  });
});
