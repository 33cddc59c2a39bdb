import { describe, expect, it } from 'vitest';
import { clipFrameAt, formatSeconds, knownDuration, spanBox } from './sentFrames';

describe('sent frames in the clip', () => {
  it('finds the clip frame on screen at a timestamp, inside the clip', () => {
    const media = { fps: 25, frameCount: 80 };
    expect([0, 1, 1.999, 3.2, 10].map((seconds) => clipFrameAt(seconds, media))).toEqual([0, 25, 49, 79, 79]);
    expect(clipFrameAt(1, { fps: 30000 / 1001, frameCount: 300 })).toBe(29);
    expect(clipFrameAt(1, { fps: 25, frameCount: 0 })).toBe(0);
  });

  it('boxes a span on the clip\'s timeline, an instant as a sliver kept inside', () => {
    expect(spanBox({ start: 1, end: 3 }, 4)).toEqual({ left: 25, width: 50 });
    expect(spanBox({ start: 2, end: 2 }, 4)).toEqual({ left: 50, width: 0.8 });
    expect(spanBox({ start: 4, end: 4 }, 4)).toEqual({ left: 99.2, width: 0.8 });
    expect(spanBox({ start: 0, end: 1 }, 0)).toEqual({ left: 0, width: 100 });
  });

  it('knows the duration from the probe, else the media, else the frames sent', () => {
    expect(knownDuration(3.2, { fps: 25, frameCount: 100 }, [0, 1])).toBe(3.2);
    expect(knownDuration(null, { fps: 25, frameCount: 100 }, [0, 1])).toBe(4);
    expect(knownDuration(null, null, [0, 1, 2])).toBe(2);
    expect(knownDuration(null, null, [])).toBeNull();
    expect(formatSeconds(1.25)).toBe('1.3 s');
  });
});
