/**
 * How much a cumulative counter grew over a trailing window, per key, from samples taken by the
 * page itself (the webhook counters are totals; the page wants "in the last 24 h" without a
 * Prometheus to ask). One sample per key per `stepMs`, kept for `windowMs`: memory is bounded
 * by keys × window / step.
 */
export class CounterWindow {
  private readonly points = new Map<string, Array<{ at: number; value: number }>>();
  /** When the previous observe() ran: a key first seen later started from 0 after it. */
  private lastAt: number | undefined;

  constructor(
    readonly windowMs: number,
    readonly stepMs: number,
  ) {}

  observe(at: number, values: ReadonlyMap<string, number>): void {
    for (const [key, value] of values) {
      // A key new since the first observation is a series that did not exist then: it grew from 0.
      // Keys present at the first observation are totals from before (a restart): they are the baseline.
      const list = this.points.get(key) ?? (this.lastAt === undefined ? [] : [{ at: this.lastAt, value: 0 }]);
      // The newest sample floats: it is replaced until it is a step after the one before it.
      const before = list[list.length - 2];
      if (before && at - before.at < this.stepMs) list[list.length - 1] = { at, value };
      else list.push({ at, value });
      // Keep one sample at or before the window's start, so the window is covered from its start.
      while (list.length > 2 && (list[1] as { at: number }).at <= at - this.windowMs) list.shift();
      this.points.set(key, list);
    }
    this.lastAt = at;
  }

  /**
   * Growth of `key` over the window ending at `now`: from the newest sample at or before the
   * window's start, else from the first sample (`since` says from when). A counter that went down
   * (state rebuilt) counts from its drop. Undefined when the key was never sampled.
   */
  increase(key: string, now: number): { n: number; since: number } | undefined {
    const list = this.points.get(key);
    if (!list || list.length === 0) return undefined;
    const start = now - this.windowMs;
    let i = 0;
    while (i + 1 < list.length && (list[i + 1] as { at: number }).at <= start) i++;
    let n = 0;
    for (let j = i + 1; j < list.length; j++) {
      const a = list[j - 1] as { value: number };
      const b = list[j] as { value: number };
      n += b.value >= a.value ? b.value - a.value : b.value;
    }
    return { n, since: Math.max(start, (list[i] as { at: number }).at) };
  }
}
