/** The next delay of a loop: the interval, moved by up to ±jitter of itself so sources drift apart. */
export function jittered(intervalMs: number, jitter: number, random: () => number = Math.random): number {
  return Math.max(1, Math.round(intervalMs * (1 + jitter * (2 * random() - 1))));
}

/** A throttled loop waits until Meta's regain time; otherwise it runs on its next tick. */
export function isPaused(pausedUntil: number | undefined, now: number): boolean {
  return pausedUntil !== undefined && now < pausedUntil;
}
