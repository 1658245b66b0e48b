import type { Clock } from '../util/clock.js';
import type { SnapshotStore } from './store.js';

/**
 * Data goes stale with time, not with a store change, so nothing would re-render it. This
 * watcher invalidates a source the moment one of its entries crosses max_staleness, so its
 * series disappear instead of freezing (the "dead loop serving old data forever" failure), and
 * the moment it becomes late (`lateIntervals` intervals without success), so the health
 * collector shows it as stale with its per-target series.
 */
export function watchStaleness(
  store: SnapshotStore,
  clock: Clock,
  invalidate: (source: string) => void,
  everyMs = 5_000,
  lateIntervals = Infinity,
): () => void {
  const dropped = new Set<string>();
  const late = new Set<string>();
  const t = setInterval(() => {
    const now = clock.now();
    for (const e of store.all()) {
      const k = `${e.source}\u0000${e.target}`;
      const stale = e.lastSuccess !== undefined && now - e.lastSuccess > e.maxStalenessMs;
      if (stale && !dropped.has(k)) {
        dropped.add(k);
        invalidate(e.source);
      } else if (!stale) dropped.delete(k);
      const isLate = e.lastSuccess !== undefined && now - e.lastSuccess > lateIntervals * e.intervalMs;
      if (isLate && !late.has(k)) {
        late.add(k);
        invalidate(e.source);
      } else if (!isLate) late.delete(k);
    }
  }, everyMs);
  t.unref();
  return () => clearInterval(t);
}
