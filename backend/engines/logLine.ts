// What the trainers' log readers (./llamafactory.ts, ./easyr1.ts) turn a line into.
import type { MetricPoint } from '../../db/trainerOutput';

/** One logged step: its metric points, and the run's total steps when the line says. */
export interface LogLine {
  step: number;
  total: number | null;
  points: MetricPoint[];
}

/** What the trainer is doing before (and between) its logged steps, from a line of its output. */
export interface OutputProgress {
  message: string;
  done?: number;
  total?: number;
}

/** A JSONL line as an object; null for anything else (a half-written last line is read again whole by the tail). */
export function jsonObjectOf(line: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
