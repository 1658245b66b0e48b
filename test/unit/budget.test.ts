import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import {
  callsPerHourPerWaba,
  deriveBudget,
  pagesPerRefresh,
  skipTick,
  stretch,
  stretchFactor,
  usageSlowdown,
} from '../../src/poller/budget.js';
import { Poller, settingsOf } from '../../src/poller/poller.js';
import { SnapshotStore } from '../../src/poller/store.js';
import { UsageBook } from '../../src/poller/usage-feedback.js';
import { SOURCES } from '../../src/sources/index.js';
import { sourceKey, type SourceKey } from '../../src/sources/key.js';
import { ACCOUNTS, LIMITS, TEMPLATES } from '../../src/sources/keys.js';
import type { AnySource, SourceDef, SourceEnv } from '../../src/sources/types.js';
import { systemClock } from '../../src/util/clock.js';

const H = 3_600_000;
const M = 60_000;

describe('budget: follow-up pages one refresh may read (docs/sharding-and-budget.md, "Bounded answers")', () => {
  const config = loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_WABA_IDS: '111' } });
  const withBudget = (hourly: number, share: number) => ({
    ...config,
    graph: { ...config.graph, hourly_budget_per_waba: hourly, budget_share: share },
  });
  it.each([
    // 200 × 0.5 = 100 calls an hour: what one interval of the loop may spend, at least 100, at most 500.
    [200, 0.5, 5 * M, 100],
    [200, 0.5, 30 * M, 100],
    [200, 0.5, 3 * H, 300],
    [5000, 0.5, H, 500],
    [200, 0.5, 10_000, 100],
    [1000, 0.5, H, 500],
    [800, 0.5, H, 400],
  ])('budget %i × %f, interval %i ms → %i pages', (hourly, share, interval, pages) => {
    expect(pagesPerRefresh(withBudget(hourly, share), interval)).toBe(pages);
  });
});

describe('budget: calls per hour per WABA (docs/sharding-and-budget.md, "Upstream cost")', () => {
  // Templates cost 1 call per refresh, pricing 2, an explicitly listed WABA's own GET 1.
  const loops = (templatesMs?: number, pricingMs?: number, accountsMs?: number) => [
    { intervalMs: templatesMs, calls: 1 },
    { intervalMs: pricingMs, calls: 2 },
    { intervalMs: accountsMs, calls: 1 },
  ];
  it.each([
    [loops(30 * M, H), 4],
    [loops(30 * M, H, 5 * M), 16],
    [loops(M, M), 180],
    [loops(undefined, undefined, 60_000), 60],
    [[], 0],
  ])('%j → %d', (i, n) => expect(callsPerHourPerWaba(i)).toBeCloseTo(n, 9));

  it.each([
    [4, 200, 0.5, 1],
    [100, 200, 0.5, 1],
    [180, 200, 0.5, 1.8],
    [400, 200, 0.25, 8],
  ])('stretch factor for %d calls/h, budget %d, share %d = %d', (calls, budget, share, f) =>
    expect(stretchFactor(calls, budget, share)).toBeCloseTo(f, 9),
  );

  it('stretch grows the interval and the staleness window with it', () => {
    expect(stretch({ enabled: true, intervalMs: M, maxStalenessMs: 5 * M }, 1.8, 5)).toEqual({
      enabled: true,
      intervalMs: 108_000,
      maxStalenessMs: 540_000,
    });
    const s = { enabled: true, intervalMs: M, maxStalenessMs: 5 * M };
    expect(stretch(s, 1, 5)).toBe(s);
  });

  it('derived from config: portfolio WABAs and explicitly listed WABAs; settingsOf applies it to per-WABA loops only', () => {
    const config = loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_WABA_IDS: '111' } });
    const fast = {
      ...config,
      sources: {
        ...config.sources,
        graph_templates: { ...config.sources.graph_templates, intervalMs: M },
        graph_accounts: { ...config.sources.graph_accounts, intervalMs: M },
      },
      billing: { ...config.billing, metaPricing: { ...config.billing.metaPricing, intervalMs: M } },
    };
    const b = deriveBudget(fast, SOURCES);
    expect(b.allowedPerHour).toBe(100);
    expect(b.portfolio.callsPerHour).toBe(180);
    expect(b.portfolio.factor).toBeCloseTo(1.8, 9);
    expect(b.explicit.callsPerHour).toBe(240);
    expect(b.explicit.factor).toBeCloseTo(2.4, 9);
    const src = (key: SourceKey<unknown>) => SOURCES.find((s) => s.key === key) as AnySource;
    expect(settingsOf(src(TEMPLATES), fast, { id: '111', kind: 'waba' }, b).intervalMs).toBe(144_000);
    expect(settingsOf(src(TEMPLATES), fast, { id: '222', kind: 'waba' }, b).intervalMs).toBe(108_000);
    expect(settingsOf(src(ACCOUNTS), fast, { id: '111', kind: 'waba' }, b).intervalMs).toBe(144_000);
    expect(settingsOf(src(ACCOUNTS), fast, { id: '9', kind: 'business' }, b).intervalMs).toBe(M);
    expect(settingsOf(src(LIMITS), fast, { id: '9', kind: 'business' }, b).intervalMs).toBe(
      config.sources.graph_limits.intervalMs,
    );
    // The defaults fit easily: nothing is stretched.
    expect(deriveBudget(config, SOURCES).portfolio.factor).toBe(1);
    expect(deriveBudget(config, SOURCES).explicit.factor).toBe(1);
  });

  it('a new source that declares a per-WABA cost joins the budget without touching budget.ts', () => {
    const config = loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_WABA_IDS: '111' } });
    const extra: SourceDef<object> = {
      key: sourceKey<object>('test_per_waba'),
      traits: { shard: { waba: 'by_id' }, wabaCost: { calls: 3, wabas: 'every' } },
      targets: () => [],
      settings: () => ({ enabled: true, intervalMs: M, maxStalenessMs: 5 * M }),
      fetch: async () => ({ data: {}, unknown: [] }),
    };
    const before = deriveBudget(config, SOURCES).portfolio.callsPerHour;
    expect(deriveBudget(config, [...SOURCES, extra]).portfolio.callsPerHour).toBeCloseTo(before + 180, 9);
  });
});

describe('usage feedback', () => {
  it.each([
    [undefined, 1],
    [0.5, 1],
    [0.75, 1],
    [0.875, 2.5],
    [1, 4],
    [1.3, 4],
  ])('ratio %s → next delay × %d (threshold 0.75, max 4)', (r, f) => expect(usageSlowdown(r, 0.75)).toBeCloseTo(f, 9));

  it('skipTick: a slowed loop sits out ticks until half an interval before its next run', () => {
    expect(skipTick(undefined, 1000, 100)).toBe(false);
    expect(skipTick(1300, 1000, 100)).toBe(true);
    expect(skipTick(1300, 1250, 100)).toBe(false);
  });

  it('UsageBook keeps the max per object, includes the app, forgets readings after an hour', () => {
    let now = 0;
    const book = new UsageBook({ now: () => now });
    book.record([
      { objectId: 'w1', kind: 'call_count', ratio: 0.5 },
      { objectId: 'w1', kind: 'total_time', ratio: 0.8 },
      { objectId: 'app', kind: 'call_count', ratio: 0.1 },
    ]);
    expect(book.ratio(['w1'])).toBe(0.8);
    expect(book.ratio(['w2'])).toBe(0.1);
    now = H + 1;
    expect(book.ratio(['w1'])).toBeUndefined();
  });

  it('a poller loop touching a busy object runs less often, and speeds up again when usage falls', async () => {
    const config = loadConfig({ env: { WHATSAPP_ACCESS_TOKEN: 't', WHATSAPP_WABA_IDS: '111' } });
    const runs: Record<string, number> = { busy: 0, calm: 0 };
    const source: SourceDef<object> = {
      key: sourceKey<object>('test_graph'),
      traits: { shard: { waba: 'by_id' }, usageFeedback: true },
      targets: () => [
        { id: 'busy', kind: 'waba' },
        { id: 'calm', kind: 'waba' },
      ],
      settings: () => ({ enabled: true, intervalMs: 20, maxStalenessMs: 1000 }),
      async fetch(_ctx, t) {
        runs[t.id] = (runs[t.id] ?? 0) + 1;
        return { data: {}, unknown: [] };
      },
    };
    const usage = new UsageBook(systemClock);
    usage.record([{ objectId: 'busy', kind: 'call_count', ratio: 1 }]);
    const store = new SnapshotStore();
    const env = {
      config: { ...config, poller: { ...config.poller, jitter: 0 } },
      clock: systemClock,
      logger: pino({ level: 'silent' }),
    } as unknown as SourceEnv;
    const poller = new Poller({
      store,
      sources: [source],
      env,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      usage,
    });
    poller.start();
    await new Promise((r) => setTimeout(r, 600));
    const slowed = { ...runs };
    expect(slowed.busy).toBeLessThan((slowed.calm ?? 0) * 0.6);
    expect(poller.targets().find((t) => t.target === 'busy')?.slowdown).toBe(4);
    usage.record([{ objectId: 'busy', kind: 'call_count', ratio: 0.2 }]);
    await new Promise((r) => setTimeout(r, 400));
    await poller.stop();
    expect((runs.busy ?? 0) - (slowed.busy ?? 0)).toBeGreaterThan(((runs.calm ?? 0) - (slowed.calm ?? 0)) * 0.6);
  });
});
