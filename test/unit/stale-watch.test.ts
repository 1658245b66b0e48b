import { describe, expect, it } from 'vitest';
import { targetState } from '../../src/collectors/health.js';
import { SnapshotStore } from '../../src/poller/store.js';
import { watchStaleness } from '../../src/poller/stale-watch.js';
import { TOKEN } from '../../src/sources/keys.js';
import { ManualClock } from '../../src/util/clock.js';
import { waitFor } from '../helpers/wait.js';

describe('watchStaleness', () => {
  it('re-renders only source health when a target goes stale, and its source when the data passes max_staleness', async () => {
    const clock = new ManualClock(1_000_000);
    const store = new SnapshotStore();
    store.update(TOKEN, 'default', () => ({
      source: 'graph_token',
      target: 'default',
      intervalMs: 10_000,
      maxStalenessMs: 50_000,
      lastSuccess: clock.now(),
      lastAttempt: clock.now(),
      up: true,
    }));
    const calls: string[] = [];
    const stop = watchStaleness(store, clock, (dep) => calls.push(dep), 5, {
      stateOf: targetState,
      dep: 'source_health',
    });
    try {
      await new Promise((r) => setTimeout(r, 30));
      expect(calls).toEqual([]); // nothing moved
      clock.advance(25_000); // more than 2 intervals: stale for the health collector, data still served
      await waitFor(
        async () => calls.length > 0,
        2_000,
        () => 'no invalidation',
      );
      await new Promise((r) => setTimeout(r, 30));
      expect(calls).toEqual(['source_health']);
      clock.advance(30_000); // past max_staleness: the source's series are dropped
      await waitFor(
        async () => calls.length > 1,
        2_000,
        () => 'no second invalidation',
      );
      await new Promise((r) => setTimeout(r, 30));
      expect(calls).toEqual(['source_health', 'graph_token']);
    } finally {
      stop();
    }
  });
});
