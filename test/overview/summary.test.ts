// The pure parts of the fleet views: the summary's counts, the problem groups' order (severity,
// then customers reached), the counter window behind "131049 in the last 24 h", and the number
// history the refreshes feed.
import { describe, expect, it } from 'vitest';
import { ACCOUNTS } from '../../src/sources/keys.js';
import { buildOverview } from '../../src/web/overview/build.js';
import { PhoneHistory, CHANGES_PER_PHONE, watchPhones } from '../../src/web/overview/history.js';
import type { Problem } from '../../src/web/overview/model.js';
import { renderOverview } from '../../src/web/overview/render.js';
import { compareProblems, groupProblems, summarize, WORST_PER_GROUP } from '../../src/web/overview/summary.js';
import { CounterWindow } from '../../src/web/overview/window.js';
import { listing, phone, put, scenario, T0 } from './fixtures.js';

const problem = (severity: Problem['severity'], kind: Problem['kind'], id: string, impact: number | null): Problem => ({
  severity,
  kind,
  text: id,
  id: `${kind}/${id}`,
  business_id: null,
  impact,
  href: null,
});

describe('summarize', () => {
  it('counts numbers by quality and status, portfolios by limit use, accounts by level, paused templates', () => {
    const { deps } = scenario({ balance: 40, usage: new Map([['B1', 240]]) });
    const s = summarize(buildOverview(deps));
    expect(s.numbers).toEqual({
      total: 3,
      byQuality: { GREEN: 1, RED: 1, YELLOW: 1 },
      byStatus: { CONNECTED: 3 },
      statusAlerting: 0,
    });
    // 240 of TIER_250 is 96 %: above the critical ratio of the messaging-limit alerts.
    expect(s.portfolios).toEqual({ total: 1, byLimit: { critical: 1, warning: 0, ok: 0, unknown: 0 } });
    expect(s.accounts.byLevel).toEqual({ ok: 0, low: 1, critical: 0, empty: 0, unknown: 0 });
    expect(s.templates).toEqual({ paused: 1, disabled: 1 });
  });

  it('counts the numbers whose status alert fires, not every number that is not CONNECTED (PENDING is fine)', () => {
    const { deps } = scenario({
      phones: [
        phone('0001', { status: 'PENDING' }),
        phone('0002', { status: undefined }),
        phone('0003', { status: 'BANNED' }),
        phone('0004', { status: 'DISCONNECTED' }),
      ],
    });
    const o = buildOverview(deps);
    expect(summarize(o).numbers.statusAlerting).toBe(
      o.problems.filter((p) => p.kind === 'phone' && p.id.includes('/status/')).length,
    );
    expect(summarize(o).numbers.statusAlerting).toBe(2);
  });

  it('a portfolio without usage is "unknown", not "under the limit"', () => {
    const s = summarize(buildOverview(scenario().deps));
    expect(s.portfolios.byLimit).toEqual({ critical: 0, warning: 0, ok: 0, unknown: 1 });
  });
});

describe('groupProblems', () => {
  it('one group per kind; the group with the worst problem first; within it severity, then impact, then id', () => {
    const ps = [
      problem('warning', 'template', 't1', null),
      problem('warning', 'phone', 'quiet', 5),
      problem('critical', 'phone', 'red-small', 10),
      problem('critical', 'phone', 'red-busy', 9_000),
      problem('warning', 'phone', 'busy', 700),
      problem('warning', 'phone', 'unknown', null),
      problem('critical', 'balance', 'wallet', 14),
    ];
    const groups = groupProblems(ps);
    expect(groups.map((g) => [g.kind, g.count])).toEqual([
      ['phone', 5],
      ['balance', 1],
      ['template', 1],
    ]);
    expect(groups[0]?.bySeverity).toEqual({ critical: 2, warning: 3 });
    expect(groups[0]?.worst.map((p) => p.text)).toEqual(['red-busy', 'red-small', 'busy', 'quiet', 'unknown']);
    expect([...ps].sort(compareProblems)[0]?.text).toBe('red-busy');
  });

  it(`keeps the worst ${WORST_PER_GROUP} of a large group and counts all`, () => {
    const ps = Array.from({ length: 1_000 }, (_, i) => problem('warning', 'phone', `p${i}`, i));
    const [g] = groupProblems(ps);
    expect(g?.count).toBe(1_000);
    expect(g?.worst.map((p) => p.impact)).toEqual([999, 998, 997, 996, 995]);
  });
});

describe('the summary page at a small fleet', () => {
  it('is the summary, the groups and then the whole settings view (every number, the account card)', () => {
    const html = renderOverview(buildOverview(scenario({ balance: 40 }).deps));
    expect(html.indexOf('id="summary"')).toBeLessThan(html.indexOf('id="problems"'));
    expect(html.indexOf('id="problems"')).toBeLessThan(html.indexOf('id="billing"'));
    expect(html).toContain('class="card account"');
    expect((html.match(/<tr data-phone=/g) ?? []).length).toBe(3);
    expect(html).toContain('<title>(');
  });
});

describe('CounterWindow', () => {
  const H = 3_600_000;
  it('counts growth over the trailing window, from totals that existed before as a baseline', () => {
    const w = new CounterWindow(24 * H, 5 * 60_000);
    w.observe(0, new Map([['B1', 100]])); // 100 from before a restart: not "in the last 24 h"
    expect(w.increase('B1', 0)).toEqual({ n: 0, since: 0 });
    w.observe(H, new Map([['B1', 103]]));
    expect(w.increase('B1', H)).toEqual({ n: 3, since: 0 });
    // A series first seen after the first sample grew from 0 since the sample before it.
    w.observe(2 * H, new Map([['B2', 4]]));
    expect(w.increase('B2', 2 * H)).toEqual({ n: 4, since: H });
    // 30 h later the first 3 are out of the window; 2 more came in.
    for (let t = 3 * H; t <= 30 * H; t += H) w.observe(t, new Map([['B1', t >= 29 * H ? 105 : 103]]));
    expect(w.increase('B1', 30 * H)?.n).toBe(2);
    expect(w.increase('B1', 30 * H)?.since).toBe(6 * H);
    expect(w.increase('B9', 30 * H)).toBeUndefined();
  });

  it('samples at most once per step (the newest floats) and keeps about window/step points', () => {
    const w = new CounterWindow(H, 60_000);
    for (let t = 0; t <= 3 * H; t += 1_000) w.observe(t, new Map([['k', t / 1_000]]));
    const r = w.increase('k', 3 * H);
    expect(r?.n).toBeCloseTo(3_600, -1);
    expect(r?.since).toBe(2 * H);
    // Bounded: a window of 60 steps keeps ~62 points, not 10,800 samples.
    expect((w as unknown as { points: Map<string, unknown[]> }).points.get('k')?.length).toBeLessThan(64);
  });

  it('a counter that went down (state rebuilt) counts from its drop', () => {
    const w = new CounterWindow(H, 1);
    w.observe(0, new Map([['k', 50]]));
    w.observe(10, new Map([['k', 60]]));
    w.observe(20, new Map([['k', 2]]));
    expect(w.increase('k', 20)?.n).toBe(12);
  });
});

describe('PhoneHistory', () => {
  it('records what changed between refreshes, newest first, bounded per number', () => {
    const h = new PhoneHistory();
    h.observe('P', 1, { quality: 'GREEN', status: 'CONNECTED' });
    expect(h.of('P')).toEqual([]);
    h.observe('P', 2, { quality: 'YELLOW', status: 'CONNECTED' });
    h.observe('P', 3, { quality: 'YELLOW', status: 'CONNECTED' });
    h.observe('P', 4, { quality: 'RED', status: 'FLAGGED' });
    expect(h.of('P').map((c) => `${c.at} ${c.field} ${c.from}→${c.to}`)).toEqual([
      '4 status CONNECTED→FLAGGED',
      '4 quality YELLOW→RED',
      '2 quality GREEN→YELLOW',
    ]);
    for (let i = 0; i < 100; i++) h.observe('P', 10 + i, { quality: i % 2 ? 'RED' : 'GREEN', status: 'FLAGGED' });
    expect(h.of('P')).toHaveLength(CHANGES_PER_PHONE);
    expect(h.of('P')[0]?.at).toBe(109);
  });

  it('is fed by accounts refreshes in the store, reading each refresh once', () => {
    const { store } = scenario();
    const { history, stop } = watchPhones(store);
    const again = (quality: string, at: number) =>
      put(store, ACCOUNTS, 'B1', listing([phone('0001', { qualityRating: quality })]), at);
    again('YELLOW', T0 + 60_000);
    again('YELLOW', T0 + 120_000);
    again('RED', T0 + 180_000);
    stop();
    again('GREEN', T0 + 240_000); // after stop(): not seen
    expect(history.of('0001').map((c) => `${c.from}→${c.to}`)).toEqual(['YELLOW→RED', 'GREEN→YELLOW']);
  });
});
