// Numbers as a metric panel shows them: four significant digits, exponents for learning rates
// and other very small or very large values, integers for steps.

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  // Three significant digits at most, and no trailing zeros: 1e-4, 2.5e-5, 3.09e-6.
  if (magnitude < 1e-3 || magnitude >= 1e6) return Number(value.toPrecision(3)).toExponential().replace('e+', 'e');
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

export function formatStep(step: number | null | undefined): string {
  if (step === null || step === undefined || !Number.isFinite(step)) return '–';
  return Number.isInteger(step) ? step.toLocaleString('en-US') : step.toFixed(2);
}

/** "1m 05s", "2h 10m": how long a run has been going. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}
