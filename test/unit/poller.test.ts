import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Poller } from '../../src/poller/poller.js';
import { SnapshotStore } from '../../src/poller/store.js';
import { sourceKey } from '../../src/sources/key.js';
import type { SourceDef, SourceEnv } from '../../src/sources/types.js';
import { systemClock } from '../../src/util/clock.js';

describe('Poller reconcile after discovery', () => {
  it('portfolio listings finishing close together share reconciles, and every WABA they found gets its loop', async () => {
    const config = loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_WABA_IDS: '111' } });
    const portfolios = Array.from({ length: 40 }, (_, i) => `b${i}`);
    const found = new Set<string>();
    let walks = 0;
    const settings = () => ({ enabled: true, intervalMs: 3_600_000, maxStalenessMs: 7_200_000 });
    const TEMPLATES = sourceKey<object>('test_templates');
    const accounts: SourceDef<object> = {
      key: sourceKey<object>('test_accounts'),
      traits: { shard: { business: 'every_shard' }, discovers: true },
      targets: () => portfolios.map((id) => ({ id, kind: 'business' as const })),
      settings,
      async fetch(_ctx, t) {
        // Listings finish spread over ~40 ms, as batched Graph answers do.
        await new Promise((r) => setTimeout(r, Number(t.id.slice(1))));
        found.add(`waba-of-${t.id}`);
        return { data: {}, unknown: [] };
      },
    };
    const templates: SourceDef<object> = {
      key: TEMPLATES,
      traits: { shard: { waba: 'by_id' } },
      targets: () => {
        walks++;
        return [...found].map((id) => ({ id, kind: 'waba' as const }));
      },
      settings,
      fetch: async () => ({ data: {}, unknown: [] }),
    };
    const store = new SnapshotStore();
    const logger = pino({ level: 'silent' });
    const env = { config, clock: systemClock, logger } as unknown as SourceEnv;
    const poller = new Poller({ store, sources: [accounts, templates], env, clock: systemClock, logger });
    poller.start();
    await poller.settle();
    const loops = poller
      .targets()
      .filter((t) => t.source === TEMPLATES.name)
      .map((t) => t.target);
    await poller.stop();
    expect(loops.sort()).toEqual(portfolios.map((b) => `waba-of-${b}`).sort());
    // One walk at start plus one per 100 ms window of finished listings, not one per listing (41).
    expect(walks).toBeLessThanOrEqual(3);
  });

  it('a source reads only the sources it declared: an undeclared read fails its refresh, loudly', async () => {
    const config = loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_WABA_IDS: '111' } });
    const OTHER = sourceKey<object>('test_other');
    const KEY = sourceKey<object>('test_sneaky');
    const settings = () => ({ enabled: true, intervalMs: 3_600_000, maxStalenessMs: 7_200_000 });
    const sneaky: SourceDef<object> = {
      key: KEY,
      traits: { shard: { waba: 'by_id' } },
      targets: () => [{ id: 'w', kind: 'waba' }],
      settings,
      async fetch(ctx) {
        ctx.read(OTHER);
        return { data: {}, unknown: [] };
      },
    };
    const store = new SnapshotStore();
    const logger = pino({ level: 'silent' });
    const env = { config, clock: systemClock, logger } as unknown as SourceEnv;
    const poller = new Poller({ store, sources: [sneaky], env, clock: systemClock, logger });
    await poller.runAll();
    expect(store.get(KEY, 'w')?.up).toBe(false);
    const declared: SourceDef<object> = {
      ...sneaky,
      key: sourceKey<object>('test_honest'),
      traits: { ...sneaky.traits, reads: [OTHER] },
    };
    const poller2 = new Poller({ store, sources: [declared], env, clock: systemClock, logger });
    await poller2.runAll();
    expect(store.get(declared.key, 'w')?.up).toBe(true);
  });
});
