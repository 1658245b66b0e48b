// Live check: every panel query of every dashboard returns data from a real Prometheus that
// scrapes the exporter (sandbox mode, in-process) and evaluates the project's rules.
//
// What the test does to make data exist, and why it is honest:
// - The exporter runs in sandbox mode with 2 s source intervals; Prometheus scrapes it every 1 s
//   and evaluates alerts/whatsapp.rules.yml every 1 s, so rate() over $__rate_interval (1m here)
//   has ≥ 2 samples a few seconds after the first scrape. The test polls; it never sleeps a fixed time.
// - The error panels (Graph API failures, billing API failures, unknown enum values) show
//   failures, so the test makes one of each: a single 5xx on one WABA read, a single 5xx on the
//   sandbox wallet's balance endpoint, and an unknown quality rating on one number, through the
//   sandbox's own fault and state levers. Each panel then proves it renders what it exists for.
// - The marketing frequency-cap panels show the configured cap, so the config sets one.
// - The per-user marketing limit panel needs one error 131049; the sandbox's random webhook stream
//   sends one only every half minute or so on average, so the test posts one signed failed status.
// - The per-target source health panels show failing or stale targets (the only targets with
//   per-target series by default), so one WABA's templates fail from the first refresh on; the
//   phone-number dashboard's health panels show numbers that cannot send freely, so its number is
//   made LIMITED.
// - The paused-templates panel shows PAUSED or DISABLED templates. The demo calms the population's
//   PAUSED template and pauses its own only at minute 21 of its story (src/sandbox/timeline.ts), so
//   the test pauses one template of the last WABA through the sandbox's state lever.
// - "Active alerts" queries ALERTS (firing and pending). The demo's number is YELLOW from minute 0
//   and the test pauses a template, so WhatsAppQualityRatingYellow and WhatsAppTemplatePaused are
//   pending within a second of the first evaluation; they would fire only after their `for:`
//   (15m / 5m). The panel shows both states on purpose (see dashboards/README.md, "Overview"), so
//   the check needs no wait and no `or vector(0)`.
// - The annotations mark events; once Prometheus has the state before them, the test makes one
//   of each (live-env.ts, makeEvents): the phone-number dashboard's number turns RED and
//   DISCONNECTED, its portfolio's tier changes, a template of its WABA is paused and the wallet
//   is topped up. Each annotation query must then return data too (Grafana runs them as range
//   queries; the check asks for the last step, which is where a fresh event shows).
// Every query must return data. Families the exporter does not serve yet fail the check and are
// listed, panel by panel, in the failure message. The same queries at 10,000 numbers: live-fleet.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueries, makeEvents, resultOf, startLive, type Live, type Query } from './live-env.js';

/** How long the check keeps polling for queries that have no data yet. */
const DATA_DEADLINE_MS = 40_000;

// Both state-set modes: every panel must have data whether state sets export all states or the current one.
describe.each(['active', 'full'] as const)('dashboards against a real Prometheus, state sets %s', (mode) => {
  let live: Live | undefined;

  beforeAll(async () => {
    live = await startLive({
      mode,
      sourceInterval: '2s',
      scrapeInterval: '1s',
      evaluationInterval: '1s',
      startTimeoutMs: 30_000,
    });
    await makeEvents(live);
  }, 90_000);

  afterAll(async () => {
    await live?.close();
  });

  it('every panel and annotation query returns data', async () => {
    const p = (live as Live).prom;
    const noValues: string[] = [];
    const checks = await dashboardQueries(p, noValues);
    expect(checks.filter((c) => !c.annotation).length).toBeGreaterThan(50);
    expect(checks.filter((c) => c.annotation).length).toBe(10);

    // Poll until every query has data or the deadline passes (rates need two samples, rules one evaluation).
    let pending = checks;
    const errors = new Map<string, string>();
    const deadline = Date.now() + DATA_DEADLINE_MS;
    while (pending.length > 0 && Date.now() < deadline) {
      const still: Query[] = [];
      for (const c of pending) {
        const r = await p.query(c.expr);
        if (r.status !== 'success') errors.set(c.where, `${r.error ?? 'error'} in: ${c.expr}`);
        else if (resultOf(r).length === 0) still.push(c);
      }
      pending = still;
      if (pending.length > 0) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(
      [...errors].map(([w, e]) => `${w}: ${e}`),
      'queries Prometheus refused',
    ).toEqual([]);
    const empty = pending.map((c) => `${c.where}: ${c.expr.replace(/\s+/g, ' ')}`);
    const why = noValues.length
      ? `\nVariables without values (their panels cannot have data): ${noValues.join(', ')}`
      : '';
    expect(
      empty,
      `${empty.length} of ${checks.length} queries returned no data after ${DATA_DEADLINE_MS / 1000}s:\n${empty.join('\n')}${why}`,
    ).toEqual([]);
  }, 120_000);
});
