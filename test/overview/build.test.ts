import { describe, expect, it } from 'vitest';
import { rateCard } from '../../src/billing/rate-card.js';
import type { SourceEntry } from '../../src/poller/store.js';
import type { BalanceData } from '../../src/billing/data.js';
import {
  buildOverview,
  escapeHtml,
  html,
  renderOverview,
  runway,
  SpendTracker,
  spendRate,
} from '../../src/web/overview/index.js';
import { fakeConfig, phone, put, scenario, T0, XSS } from './fixtures.js';
import { BALANCE, PRICING, TEMPLATES, TOKEN } from '../../src/sources/keys.js';

const texts = (o: ReturnType<typeof buildOverview>) => o.problems.map((p) => `${p.severity}: ${p.text}`);

describe('buildOverview: problems in plain words', () => {
  it('lists a RED number, a low balance, paused and disabled templates; critical first', () => {
    const { deps } = scenario();
    const o = buildOverview(deps);
    // Below `low` but above `critical` (25) is a warning, as WhatsAppCreditBalanceLow's rule for it.
    expect(texts(o)).toEqual([
      'critical: Number +1 555-010-0002 (Acme) quality is RED',
      'critical: Template old_promo (de) in Acme Support is DISABLED',
      'warning: Balance of wallet (64.00 USD) is below the low threshold of 100 USD',
      'warning: Number +1 555-010-0003 (Acme) quality is YELLOW',
      'warning: Number +1 555-010-0003 (Acme) can send only with limits (health LIMITED)',
      'warning: Template spring_sale (en_US) in Acme Support is PAUSED',
    ]);
    expect(o.billing[0]?.level).toBe('low');
    expect(o.businesses[0]?.wabas[0]?.templates?.attention.map((t) => t.name)).toEqual(['spring_sale', 'old_promo']);
  });

  it('a balance below the critical threshold, and an empty one, are critical', () => {
    expect(texts(buildOverview(scenario({ balance: 20 }).deps))).toContain(
      'critical: Balance of wallet (20.00 USD) is below the critical threshold of 25 USD',
    );
    const empty = buildOverview(scenario({ balance: 0 }).deps);
    expect(empty.billing[0]?.level).toBe('empty');
    expect(texts(empty)[0]).toMatch(/^critical: Balance of wallet \(0\.00 USD\) is used up/);
  });

  it('a failing source says since when and why, in words; never-successful is a warning too (SourceFailing)', () => {
    const { deps, store, clock } = scenario({ balance: 500 });
    clock.advance(90_000);
    store.update(BALANCE, 'wallet', (p) => ({
      ...(p as SourceEntry<BalanceData>),
      lastAttempt: clock.now(),
      up: false,
      error: { reason: 'http_5xx', code: 503 },
    }));
    store.update(PRICING, 'W1', () => ({
      source: 'graph_pricing',
      target: 'W1',
      intervalMs: 60_000,
      maxStalenessMs: 300_000,
      lastAttempt: clock.now(),
      up: false,
      error: { reason: 'auth', code: 190 },
    }));
    const t = texts(buildOverview(deps));
    expect(t).toContain(
      'warning: Source graph_pricing (W1) failing since the exporter started (never succeeded): the access token or API key was rejected (code 190)',
    );
    expect(t).toContain(
      'warning: Source billing (wallet) failing since 2026-11-26 10:00 UTC (the last success, 1 min ago): the upstream API answered with a server error (5xx) (code 503)',
    );
    expect(buildOverview(deps).sources.find((s) => s.source === 'billing')?.state).toBe('failing');
  });

  it('messaging limit usage: from webhooks when given, "unknown" otherwise; unlimited is a flag, not Infinity', () => {
    const near = buildOverview(scenario({ usage: new Map([['B1', 240]]) }).deps);
    expect(near.businesses[0]?.limit).toEqual({
      tier: 'TIER_250',
      limit: 250,
      unlimited: false,
      usage: 240,
      usageRatio: 0.96,
    });
    // 96 % is above WhatsAppMessagingLimitUsageCritical's 95 %.
    expect(texts(near)).toContain(
      'critical: Business B1 used 240 of its 250 unique-recipient messaging limit in the last 24 h',
    );
    const high = buildOverview(scenario({ usage: new Map([['B1', 201]]) }).deps);
    expect(texts(high)).toContain(
      'warning: Business B1 used 201 of its 250 unique-recipient messaging limit in the last 24 h',
    );
    const edge = buildOverview(scenario({ usage: new Map([['B1', 200]]) }).deps);
    expect(edge.problems.filter((p) => p.kind === 'limit')).toEqual([]);
    const none = buildOverview(scenario().deps);
    expect(none.businesses[0]?.limit.usage).toBeNull();
    expect(renderOverview(none)).toContain('usage unknown — enable webhooks');
    const unlimited = buildOverview(scenario({ tier: 'TIER_UNLIMITED', usage: new Map() }).deps);
    expect(unlimited.businesses[0]?.limit).toMatchObject({ limit: null, unlimited: true, usage: 0 });
  });

  it('token: invalid is critical, expiring soon is a warning, never-expiring is a flag', () => {
    const { deps, store } = scenario({ balance: 500, phones: [phone('0001')] });
    expect(buildOverview(deps).tokens[0]).toEqual({
      credential: 'default',
      valid: true,
      expiresAt: null,
      neverExpires: true,
      expiresInDays: null,
    });
    put(store, TOKEN, 'default', { credential: 'default', valid: true, expiresAt: T0 / 1000 + 2 * 86_400 }, T0);
    expect(texts(buildOverview(deps))).toContain(
      'warning: Access token "default" expires in 2 days (2026-11-28 10:00 UTC)',
    );
    put(store, TOKEN, 'default', { credential: 'default', valid: false }, T0);
    expect(texts(buildOverview(deps))[0]).toBe(
      'critical: Access token "default" is not valid: every Graph API call with it fails',
    );
  });
});

describe('buildOverview: staleness with a manual clock', () => {
  it('marks data older than 3 intervals stale, then drops it after max staleness', () => {
    const { deps, clock } = scenario({ balance: 500, phones: [phone('0001')] });
    // Everything was polled at T0 every 60 s; max staleness is 5 intervals (300 s).
    clock.advance(170_000);
    let o = buildOverview(deps);
    expect(o.sources.every((s) => s.state === 'ok')).toBe(true);
    expect(o.businesses[0]?.wabas[0]?.freshness.stale).toBe(false);

    clock.advance(20_000); // 190 s > 3 × 60 s
    o = buildOverview(deps);
    expect(o.sources.map((s) => s.state)).toEqual(Array(o.sources.length).fill('stale'));
    expect(o.businesses[0]?.wabas[0]?.freshness).toMatchObject({ stale: true, ageSeconds: 190 });
    expect(texts(o)).toContain(
      'warning: Data of graph_accounts (B1) is stale (last success 2026-11-26 10:00 UTC, 3 min ago; polled every 60 s)',
    );
    const page = renderOverview(o);
    expect(page).toMatch(/class="badge b-stale"[^>]*>stale</);

    clock.advance(120_000); // 310 s > max staleness
    o = buildOverview(deps);
    expect(o.sources.map((s) => s.state)).toEqual(Array(o.sources.length).fill('dropped'));
    expect(o.businesses[0]?.wabas).toEqual([]);
    expect(o.billing[0]?.balance).toBeNull();
    // Stale Graph data is a warning (WhatsAppExporterDataStale pages only for billing).
    expect(texts(o)).toContain(
      'warning: Data of graph_accounts (B1) is older than its max staleness of 5 min and no longer shown (last success 2026-11-26 10:00 UTC, 5 min ago)',
    );
    expect(texts(o)).toContain(
      'critical: Data of billing (wallet) is older than its max staleness of 5 min and no longer shown (last success 2026-11-26 10:00 UTC, 5 min ago)',
    );
  });
});

describe('escaping', () => {
  it('escapes every interpolated value and keeps Html values', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;',
    );
    const name = '<b>';
    expect(html`<p title="${name}">${name}${html`<i>${[name, 1, null, undefined, false]}</i>`}</p>`.value).toBe(
      '<p title="&lt;b&gt;">&lt;b&gt;<i>&lt;b&gt;1</i></p>',
    );
  });

  it('upstream names cannot inject markup anywhere on the page', () => {
    const evil = `${XSS}"'`;
    const { deps, store } = scenario({
      phones: [phone('0001', { verifiedName: evil, displayPhoneNumber: evil, qualityRating: evil, status: evil })],
    });
    put(
      store,
      TEMPLATES,
      'W1',
      {
        wabaId: 'W1',
        businessId: 'B1',
        templates: [{ id: '9', name: evil, language: evil, status: 'PAUSED', category: evil, quality: evil }],
      },
      T0,
    );
    const page = renderOverview(
      buildOverview({
        ...deps,
        config: () =>
          fakeConfig({ links: { topUp: 'javascript:alert(1)', payment: `https://pay.example/?q="><script>` } }),
      }),
    );
    expect(page).not.toMatch(/<script|<img|javascript:/i);
    expect(page).toContain(
      '&lt;script&gt;window.__xss=1&lt;/script&gt;&lt;img src=x onerror=window.__xss=2&gt;&quot;&#39;',
    );
    // The javascript: link is dropped; the https one is kept, escaped.
    expect(page).not.toContain('Add credits');
    expect(page).toContain('href="https://pay.example/?q=%22%3E%3Cscript%3E"');
  });
});

describe('view model as JSON', () => {
  it('is JSON-safe: numbers and ISO strings, no bigint, no Infinity', () => {
    const { deps } = scenario();
    const card = rateCard([
      { market: 'India', category: 'marketing', currency: 'USD', price: 0.0107 },
      { market: 'India', category: 'utility', currency: 'USD', price: 0.0014 },
      { market: 'Germany', category: 'marketing', currency: 'USD', price: 0.1365 },
    ]);
    const o = buildOverview({ ...deps, rateCard: () => card });
    expect(JSON.parse(JSON.stringify(o))).toEqual(o);
    expect(o.generatedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(o.billing[0]).toMatchObject({
      balance: { amount: 64, currency: 'USD' },
      thresholds: { low: 100, critical: 25 },
      links: { topUp: 'https://pay.example/top-up', payment: null, rateCard: 'https://pay.example/rates' },
    });
    expect(o.billing[0]?.statement).toMatchObject({
      topups: [{ amount: 500, currency: 'USD' }],
      debits: [
        { category: 'marketing', amount: 300, currency: 'USD' },
        { category: 'utility', amount: 136, currency: 'USD' },
      ],
      lastEntryAt: '2026-11-26T09:59:00.000Z',
    });
    expect(o.rateCard).toEqual({
      categories: ['marketing', 'utility'],
      rows: [
        { market: 'India', currency: 'USD', prices: { marketing: 0.0107, utility: 0.0014 } },
        { market: 'Germany', currency: 'USD', prices: { marketing: 0.1365, utility: null } },
      ],
    });
  });
});

describe("runway: the recording rule's formula over the points the page saw", () => {
  const MIN = 60_000;
  const bal = { amount: 90, currency: 'USD' };
  /** A point `m` minutes after T0 - 6h + 1m (inside the window at T0). */
  const at = (m: number) => T0 - 6 * 3_600_000 + MIN + m * MIN;

  it('statement: increase(debits) / increase(newest row time), right from the second row whatever the row size', () => {
    const t = new SpendTracker();
    expect(runway(t, 'w', bal, T0)).toMatchObject({ days: null, basis: null, note: expect.stringMatching(/^unknown/) });
    // Daily rows: one row of 30 USD seen now, the previous one a day older.
    t.observe('w', 'statement', 'USD', { at: T0 - 10 * MIN, spent: 100, clock: T0 - 86_400_000 - 20 * MIN });
    expect(runway(t, 'w', bal, T0).days).toBeNull();
    t.observe('w', 'statement', 'USD', { at: T0, spent: 130, clock: T0 - 20 * MIN });
    const r = runway(t, 'w', bal, T0);
    expect(r).toMatchObject({ basis: 'statement', spendPerDay: { amount: 30, currency: 'USD' } });
    expect(r.days).toBeCloseTo(3, 6);
    // An older observation never rewinds the history.
    t.observe('w', 'statement', 'USD', { at: T0 - 20 * MIN, spent: 0, clock: 0 });
    expect(t.points('w', 'statement', 'USD')).toHaveLength(2);
    expect(runway(t, 'w', { amount: 0, currency: 'USD' }, T0).days).toBe(0);
  });

  it('balance: 15 minutes of readings give the rate of those 15 minutes, not a 6 h average', () => {
    const t = new SpendTracker();
    // 100 USD a minute, read every 15 s, for 15 minutes before T0.
    for (let s = 0; s <= 900; s += 15)
      t.observe('w', 'balance', 'USD', {
        at: T0 - 900_000 + s * 1000,
        spent: (s / 60) * 100,
        clock: T0 - 900_000 + s * 1000,
      });
    const r = runway(t, 'w', { amount: 100_000, currency: 'USD' }, T0);
    expect(r.basis).toBe('balance');
    expect(r.spendPerDay?.amount).toBeCloseTo(144_000, 0);
    expect(r.days).toBeCloseTo(100_000 / 144_000, 3);
  });

  it('order: the statement first; a balance only when it fell; else the estimate; else a flat balance (no spend)', () => {
    const t = new SpendTracker();
    for (let m = 0; m <= 60; m += 5) {
      t.observe('w', 'balance', 'USD', { at: at(m), spent: 0, clock: at(m) });
      t.observe('w', 'estimate', 'USD', { at: at(m), spent: m * 2, clock: at(m) });
    }
    // A flat balance and 2 USD a minute of estimated cost, seen for 1 h: the estimate answers.
    const now = at(60);
    expect(spendRate(t, 'w', 'USD', now)).toMatchObject({ basis: 'estimate' });
    expect(spendRate(t, 'w', 'USD', now)?.perDay).toBeCloseTo(2 * 1440, 6);
    // The balance falls: it answers.
    t.observe('w', 'balance', 'USD', { at: now + MIN, spent: 3, clock: now + MIN });
    expect(spendRate(t, 'w', 'USD', now + MIN)?.basis).toBe('balance');
    // A statement row pair: it answers.
    t.observe('w', 'statement', 'USD', { at: now, spent: 10, clock: now - 10 * MIN });
    t.observe('w', 'statement', 'USD', { at: now + MIN, spent: 20, clock: now - 5 * MIN });
    expect(spendRate(t, 'w', 'USD', now + MIN)).toMatchObject({ basis: 'statement', perDay: 2 * 1440 });
    // Only a flat balance: nothing is spent (no runway, no alert).
    const flat = new SpendTracker();
    flat.observe('x', 'balance', 'USD', { at: at(0), spent: 5, clock: at(0) });
    flat.observe('x', 'balance', 'USD', { at: at(10), spent: 5, clock: at(10) });
    expect(spendRate(flat, 'x', 'USD', at(10))).toMatchObject({ basis: 'balance', perDay: 0 });
    expect(runway(flat, 'x', bal, at(10))).toMatchObject({ days: null, note: expect.stringMatching(/^no USD spend/) });
  });

  it('estimate: the longest window its points cover, and nothing before 15 minutes', () => {
    const t = new SpendTracker();
    for (let m = 0; m <= 14; m++) t.observe('w', 'estimate', 'USD', { at: at(m), spent: m, clock: at(m) });
    expect(spendRate(t, 'w', 'USD', at(14))).toBeNull();
    t.observe('w', 'estimate', 'USD', { at: at(15), spent: 15, clock: at(15) });
    expect(spendRate(t, 'w', 'USD', at(15))?.perDay).toBeCloseTo(1440, 6);
  });

  it('a runway under a day is a warning problem (WhatsAppCreditBalanceRunwayShort); two days is not', () => {
    const { deps } = scenario({ balance: 500, phones: [phone('0001')] });
    const rows = (perDay: number) => {
      const t = new SpendTracker();
      t.observe('wallet', 'statement', 'USD', { at: T0 - 3_600_000, spent: 0, clock: T0 - 86_400_000 });
      t.observe('wallet', 'statement', 'USD', { at: T0, spent: perDay, clock: T0 });
      return t;
    };
    const o = buildOverview(deps, rows(250));
    expect(o.billing[0]?.runway.days).toBeCloseTo(2, 6);
    expect(o.problems.filter((p) => p.kind === 'runway')).toEqual([]);
    expect(texts(buildOverview(deps, rows(600)))).toContain(
      'warning: Credit of wallet runs out in about 20 hours at the recent spend of 600.00 USD per day',
    );
  });
});
