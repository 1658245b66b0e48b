import type { Logger } from 'pino';
import { type AggregateBy, Samples } from '../metrics/family.js';
import type { Fragment } from '../metrics/exposition.js';
import { renderSamples, type GroupCache } from '../metrics/render.js';
import type { SnapshotStore } from '../poller/store.js';
import type { StateSetMode } from '../config/config.js';
import type { FamilyFilter } from '../metrics/filter.js';

/** What shapes every collector's output besides its data: the state-set mode and the family lists. */
export interface ExpositionSettings {
  readonly stateSets: StateSetMode;
  readonly filter?: FamilyFilter;
  readonly aggregateBy?: AggregateBy;
}
import type { Clock } from '../util/clock.js';
import { depName, type CollectView, type Collector } from './types.js';

export function snapshotView(store: SnapshotStore, clock: Clock): CollectView {
  const now = clock.now();
  return {
    now,
    fresh: (source) => store.fresh(source, now),
    known: (source) => store.known(source),
    entries: () => store.all(),
  };
}

/** Wraps a collector as a cached exposition fragment reading the current snapshot. */
export function collectorFragment(
  c: Collector,
  store: SnapshotStore,
  clock: Clock,
  logger: Logger,
  expo: () => ExpositionSettings = () => ({ stateSets: 'full' }),
): Fragment {
  // Text of each unchanged group (e.g. a WABA whose numbers did not change) is reused.
  const cache: GroupCache = new Map();
  let rendered: ExpositionSettings | undefined;
  return {
    name: c.name,
    deps: c.sources.map(depName),
    async render() {
      const e = expo();
      // A group's signature is its data, not the mode or the family lists: text cached under
      // other settings is stale.
      if (rendered?.stateSets !== e.stateSets || rendered.filter !== e.filter || rendered.aggregateBy !== e.aggregateBy)
        cache.clear();
      rendered = e;
      const filter = e.filter;
      const samples = new Samples({
        stateSets: e.stateSets,
        exported: filter ? (f) => filter.allows(f.name) : undefined,
        complete: filter ? (f) => filter.completes(f.name) : undefined,
        aggregateBy: e.aggregateBy,
      });
      try {
        c.collect(snapshotView(store, clock), samples);
      } catch (err) {
        logger.error({ collector: c.name, err: (err as Error).message }, 'collector failed');
        throw err;
      }
      return renderSamples(samples, cache);
    },
  };
}
