/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so
 * retries from many loops spread out but never collapse to zero.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return exp / 2 + (exp / 2) * random();
}
