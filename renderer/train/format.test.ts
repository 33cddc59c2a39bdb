import { describe, expect, it } from 'vitest';
import { formatDuration, formatMetric, formatStep } from './format';

describe('formatMetric', () => {
  it('keeps four significant digits and writes tiny and huge values with exponents', () => {
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(2.5e-5)).toBe('2.5e-5');
    expect(formatMetric(1e-4)).toBe('1e-4');
    expect(formatMetric(3.0912e-6)).toBe('3.09e-6');
    expect(formatMetric(1234567)).toBe('1.23e6');
    expect(formatMetric(512)).toBe('512');
    expect(formatMetric(-1.23456)).toBe('-1.235');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(null)).toBe('–');
  });

  it('writes steps and durations', () => {
    expect(formatStep(12000)).toBe('12,000');
    expect(formatDuration(65)).toBe('1m 05s');
    expect(formatDuration(7800)).toBe('2h 10m');
  });
});
