import type { Logger } from 'pino';
import { Samples } from '../metrics/family.js';
import type { Fragment } from '../metrics/exposition.js';
import { renderSamples, type GroupCache } from '../metrics/render.js';
import { freshData, type SnapshotStore } from '../poller/store.js';
import type { Clock } from '../util/clock.js';
import type { CollectView, Collector } from './types.js';

export function snapshotView(store: SnapshotStore, clock: Clock): CollectView {
  const now = clock.now();
  return {
    now,
    fresh<T>(source: string) {
      const out: Array<{ target: string; data: T }> = [];
      for (const e of store.bySource<T>(source)) {
        const data = freshData(e, now);
        if (data !== undefined) out.push({ target: e.target, data });
      }
      return out;
    },
    entries: () => store.all(),
  };
}

/** Wraps a collector as a cached exposition fragment reading the current snapshot. */
export function collectorFragment(c: Collector, store: SnapshotStore, clock: Clock, logger: Logger): Fragment {
  // Text of each unchanged group (e.g. a WABA whose numbers did not change) is reused.
  const cache: GroupCache = new Map();
  return {
    name: c.name,
    deps: c.sources,
    async render() {
      const samples = new Samples();
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
