// Fleet bound: at 10,000 numbers in 2,000 WABAs of 200 portfolios (the bench's population, the
// sandbox's static scenario with its YELLOW, RED, LIMITED, BLOCKED and disconnected numbers), no
// panel or annotation query returns more than MAX_SERIES series with the variables at their
// defaults (All for the multi-value ones, which Grafana sends as an alternation of every value).
// A panel with one series or row per number, WABA or portfolio fails here and is named.
//
// Each query runs the way Grafana runs it: instant for stat and table panels, a range query over
// the data Prometheus has (step 15 s) for time series, state timelines and annotations, where a
// topk() may pick different series at different steps and the panel draws all of them.
//
// The fleet-wide events of makeEvents (hundreds of numbers, portfolios and templates changing at
// once) are made first, so the annotations are measured while they mark something.
//
// One state-set mode only ('active', the default), to keep the run near a minute on a 2-core
// machine: the queries select states with `== 1`, so `full` has the same number of result series
// (live.test.ts runs both modes at 3 numbers). The series counts are printed as a table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueries, makeEvents, resultOf, startLive, type Live, type Query } from './live-env.js';
import { waitFor } from './prometheus.js';

/** The most series a panel or annotation query may return at fleet scale. */
const MAX_SERIES = 100;
const FLEET = { phone_numbers: 10_000, wabas: 2_000, businesses: 200, scenario: 'static' } as const;
const RANGE_SECONDS = 300;
const RANGE_STEP_SECONDS = 15;
/** Fleet-wide events, so the annotations are measured with something to mark. */
const EVENTS = { numbers: 500, portfolios: 20, templates: 200 };

describe('dashboards at 10,000 numbers', () => {
  let live: Live | undefined;

  beforeAll(async () => {
    live = await startLive({
      mode: 'active',
      population: FLEET,
      // A full refresh of 10,000 numbers takes seconds on this machine; the check needs one.
      sourceInterval: '2m',
      // The first scrape of 10,000 numbers takes about a second, and the rules over them about as long.
      scrapeInterval: '5s',
      evaluationInterval: '5s',
      startTimeoutMs: 120_000,
    });
    const p = live.prom;
    // Every number and WABA of every portfolio (a portfolio's WABAs arrive with its own
    // listing, some seconds after the first numbers), no target pending, two scrapes of each
    // (rates need two samples), and the rules evaluated over them.
    const all = [
      `count(count_over_time(whatsapp_phone_number_info[1m]) >= 2) >= ${FLEET.phone_numbers}`,
      `count(count_over_time(whatsapp_business_account_info[1m]) >= 2) >= ${FLEET.wabas}`,
      `count(count by (business_id) (whatsapp_business_account_info)) >= ${FLEET.businesses}`,
      'sum(whatsapp_exporter_source_targets{state="pending"}) == 0',
      'count(business_id:whatsapp_messaging_limit_utilization:ratio)',
    ];
    await waitFor(
      async () => {
        for (const q of all) if (resultOf(await p.query(q)).length === 0) return false;
        return true;
      },
      120_000,
      () => `the fleet never arrived in Prometheus:\n${p.log()}`,
      1_000,
    );
    // 500 numbers turn RED and DISCONNECTED, 20 portfolios change tier, 200 templates are paused,
    // the wallet is topped up; then until every annotation marks its event (a minute at most).
    await makeEvents(live, EVENTS);
    const annotations = (await dashboardQueries(p, [])).filter((q) => q.annotation);
    await waitFor(
      async () => {
        for (const a of annotations) if (resultOf(await p.query(a.expr)).length === 0) return false;
        return true;
      },
      60_000,
      () => `the fleet's events were not all marked: ${annotations.map((a) => a.where).join(', ')}`,
      1_000,
    );
  }, 300_000);

  afterAll(async () => {
    await live?.close();
  });

  it(`no panel or annotation query returns more than ${MAX_SERIES} series`, async () => {
    const p = (live as Live).prom;
    const noValues: string[] = [];
    const queries = await dashboardQueries(p, noValues);
    expect(noValues, 'variables without values').toEqual([]);
    const rows: { q: Query; series: number; error?: string }[] = [];
    for (const q of queries) {
      const r = q.range ? await p.queryRange(q.expr, RANGE_SECONDS, RANGE_STEP_SECONDS) : await p.query(q.expr);
      if (r.status !== 'success') rows.push({ q, series: 0, error: r.error ?? 'error' });
      else rows.push({ q, series: resultOf(r).length });
    }
    rows.sort((a, b) => b.series - a.series || a.q.where.localeCompare(b.q.where));
    const table = rows.map((r) => `| ${r.q.where} | ${r.q.range ? 'range' : 'instant'} | ${r.series} |`).join('\n');
    console.log(
      `Series per dashboard query at ${FLEET.phone_numbers} numbers (${queries.length} queries, max ${rows[0]?.series ?? 0}):\n| query | type | series |\n|---|---|---|\n${table}`,
    );
    expect(
      rows.filter((r) => r.error).map((r) => `${r.q.where}: ${r.error}`),
      'queries Prometheus refused',
    ).toEqual([]);
    const over = rows.filter((r) => r.series > MAX_SERIES).map((r) => `${r.q.where}: ${r.series} series`);
    expect(over, `${over.length} of ${queries.length} queries return more than ${MAX_SERIES} series`).toEqual([]);
  }, 300_000);
});
