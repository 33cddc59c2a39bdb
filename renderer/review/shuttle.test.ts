import { describe, expect, it } from 'vitest';
import { clampFrame, formatTime, shuttle } from './shuttle';

describe('shuttle', () => {
  it('doubles forward on repeated L, reverses on J, stops on K', () => {
    let rate = 0;
    rate = shuttle(rate, 'l');
    expect(rate).toBe(1);
    rate = shuttle(shuttle(shuttle(shuttle(rate, 'l'), 'l'), 'l'), 'l');
    expect(rate).toBe(8);
    rate = shuttle(rate, 'j');
    expect(rate).toBe(-1);
    expect(shuttle(rate, 'j')).toBe(-2);
    expect(shuttle(rate, 'k')).toBe(0);
  });
  it('clamps frames and formats time', () => {
    expect(clampFrame(-3, 10)).toBe(0);
    expect(clampFrame(12, 10)).toBe(9);
    expect(formatTime(31, 25)).toBe('1.24 s');
    expect(formatTime(1550, 25)).toBe('1:02.00');
  });
});
