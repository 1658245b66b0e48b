import type { Clock } from '../util/clock.js';
import type { SnapshotStore, SourceEntry } from './store.js';

/** A state of each entry that moves with time (the health collector's up / stale), and what to re-render when it does. */
export interface TimeState {
  readonly stateOf: (e: SourceEntry, now: number) => string;
  /** The dependency to invalidate when any entry's state changed. */
  readonly dep: string;
}

/**
 * Data goes stale with time, not with a store change, so nothing would re-render it. This
 * watcher invalidates a source the moment one of its entries crosses max_staleness, so its
 * series disappear instead of freezing (the "dead loop serving old data forever" failure), and
 * invalidates `timeState.dep` when an entry's time-driven state changes (a target going stale),
 * so only what shows that state re-renders.
 */
export function watchStaleness(
  store: SnapshotStore,
  clock: Clock,
  invalidate: (source: string) => void,
  everyMs = 5_000,
  timeState?: TimeState,
): () => void {
  const dropped = new Set<string>();
  let states = new Map<string, string>();
  const t = setInterval(() => {
    const now = clock.now();
    const next = new Map<string, string>();
    let changed = false;
    for (const e of store.all()) {
      const k = `${e.source}\u0000${e.target}`;
      const stale = e.lastSuccess !== undefined && now - e.lastSuccess > e.maxStalenessMs;
      if (stale && !dropped.has(k)) {
        dropped.add(k);
        invalidate(e.source);
      } else if (!stale) dropped.delete(k);
      if (timeState) {
        const s = timeState.stateOf(e, now);
        const before = states.get(k);
        if (before !== undefined && before !== s) changed = true;
        next.set(k, s);
      }
    }
    states = next;
    if (changed && timeState) invalidate(timeState.dep);
  }, everyMs);
  t.unref();
  return () => clearInterval(t);
}
