// When to try a chat completion again, and how long to wait first. Exponential backoff with
// "equal jitter" (half the delay fixed, half random): many concurrent requests that failed
// together (a vLLM restart) spread out instead of returning in lockstep, and no retry collapses
// to an immediate one.

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After longer than this is cut to it (a misconfigured proxy must not stall a run for hours). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** 408, 429 and every 5xx are worth another try; other 4xx would fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The wait before try number `nextAttempt` (2 for the first retry). */
export function backoffDelayMs(policy: RetryPolicy, nextAttempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, nextAttempt - 2));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  if (retryAfterMs === null) return jittered;
  return Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), jittered);
}

/**
 * RFC 9110 §10.2.3 Retry-After: delay-seconds or an HTTP-date; null when absent or unreadable.
 * Fractional seconds are accepted too (some proxies send them; reading "0.5" as absent would retry sooner than asked).
 */
export function parseRetryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
