import type { GraphObserver } from '../sources/graph/client.js';
import type { UsageReading } from '../sources/graph/usage.js';
import type { Clock } from '../util/clock.js';

/** Meta's usage window is a rolling hour: a reading older than that says nothing any more. */
const READING_TTL_MS = 3_600_000;

/**
 * The latest usage ratio Meta reported per business object (max over call_count, cputime, time),
 * fed by the Graph client's observer next to the self-metrics, read by the poller to slow down
 * loops that touch a busy object. "app" (X-App-Usage) touches every Graph loop.
 */
export class UsageBook {
  private readonly latest = new Map<string, { ratio: number; at: number }>();

  constructor(private readonly clock: Clock) {}

  record(readings: readonly UsageReading[]): void {
    const at = this.clock.now();
    const max = new Map<string, number>();
    for (const r of readings) max.set(r.objectId, Math.max(max.get(r.objectId) ?? 0, r.ratio));
    for (const [objectId, ratio] of max) this.latest.set(objectId, { ratio, at });
  }

  /** The highest fresh ratio among these objects and the app; undefined when Meta said nothing. */
  ratio(objectIds: ReadonlyArray<string | undefined>): number | undefined {
    const now = this.clock.now();
    let out: number | undefined;
    for (const id of [...objectIds, 'app']) {
      const r = id ? this.latest.get(id) : undefined;
      if (r && now - r.at <= READING_TTL_MS) out = Math.max(out ?? 0, r.ratio);
    }
    return out;
  }

  /** An observer that feeds this book and forwards everything to `inner` (the self-metrics). */
  tee(inner: GraphObserver): GraphObserver {
    return {
      endpoint: (e) => inner.endpoint?.(e),
      request: (e) => inner.request(e),
      failure: (e, r) => inner.failure(e, r),
      usage: (r) => {
        inner.usage(r);
        this.record(r);
      },
    };
  }
}
