/**
 * What the exporter's series cost the user's Prometheus, per `metrics.state_sets` mode.
 *
 * Starts an exporter (with webhooks) on a running sandbox, waits for every number, posts a sent,
 * delivered, read and failed status for every number (bench/statuses.ts), waits until the
 * exposition is steady, then lets a real Prometheus (the Debian binary the tests use, with the
 * shipped prometheus.yml and alert rules) scrape it for `seconds`. Reports the exposition's series
 * (by family, largest first), its gzip size, and Prometheus' head series, peak RSS and scrape
 * duration.
 *
 *   npx tsx bench/budget.ts [--phone-numbers 10000 --wabas 2000 --businesses 200 --seconds 120 --modes active,full]
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderRules } from '../alerts/generate.js';
import { freePort, localPrometheusConfig, sleep, startPrometheus } from '../test/e2e/processes.js';
import { peakRssMb, startCli, stop, type Child } from './procs.js';
import { numberRows, scrapeSteady, scrapeUntil } from './exposition.js';
import { numbersOf, postStatusesForEveryNumber } from './statuses.js';

/**
 * `active` (the default), `full` (metrics.state_sets: full), `everything` (every state, per-number
 * counts, every opt-in and subset row: what the exporter exported before its lean defaults).
 */
export type StateSetMode = 'active' | 'full' | 'everything';

const METRICS: Record<StateSetMode, string> = {
  active: '{state_sets: active}',
  full: '{state_sets: full}',
  everything: "{state_sets: full, aggregate_by: phone_number, opt_in: ['.*']}",
};

export interface BudgetResult {
  mode: StateSetMode;
  series: number;
  series_per_number: number;
  metrics_gzip_bytes: number;
  webhook_status_events: number;
  prometheus_head_series: number;
  prometheus_rss_mb: number;
  /** Median scrape duration over the window (steady state). */
  prometheus_scrape_seconds: number;
  /** The slowest, usually the first (it creates every series). */
  prometheus_slowest_scrape_seconds: number;
  prometheus_scrapes: number;
  /** The shipped rule groups' evaluation time, summed (each group's median over the window). */
  prometheus_rule_eval_seconds: number;
  /** Alerts firing at the end (the static sandbox has RED, LIMITED and unconnected numbers). */
  prometheus_alerts_firing: number;
  /** Each group's median evaluation over the window. */
  prometheus_rule_group_seconds: Record<string, number>;
  /** The 25 largest families: name → series. */
  largest_families: Record<string, number>;
}

const APP_SECRET = 'bench-app-secret';
const WEBHOOK_PATH = '/webhooks/whatsapp';
const samples = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

function families(lines: readonly string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)?.[0] ?? '';
    const family = name.replace(/_(bucket|sum|count)$/, '');
    counts.set(family, (counts.get(family) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).slice(0, 25));
}

export async function benchBudget(o: {
  sandboxUrl: string;
  businessIds: readonly string[];
  phones: number;
  mode: StateSetMode;
  seconds: number;
  env?: NodeJS.ProcessEnv;
  log: (msg: string) => void;
}): Promise<BudgetResult> {
  const dir = mkdtempSync(join(tmpdir(), `wbe-bench-budget-${o.mode}-`));
  const cfg = join(dir, 'bench.yml');
  writeFileSync(
    cfg,
    [
      'sources:',
      '  graph_accounts: {interval: 1h}',
      '  graph_limits: {interval: 1h}',
      '  graph_templates: {interval: 1h}',
      '  graph_token: {interval: 1h}',
      `metrics: ${METRICS[o.mode]}`,
      `storage: {path: ${join(dir, 'data')}}`,
      'log: {level: warn}',
      // A BSP's setup: one wallet per client portfolio from one bulk endpoint (the sandbox shares its
      // wallet out, about 1 USD each, so every wallet is below its threshold and alerts), and one
      // customer per portfolio, so every customer-facing rule joins its customer.
      'billing:',
      '  accounts:',
      `    - {name: bsp-wallets, provider: http_json, url: '${o.sandboxUrl}/wallet/v1/wallets', items_path: data.wallets, name_path: id, business_id_path: business_id, balance_path: balance, currency_path: currency, interval: 1h, max_items: 10000, thresholds: {low: 100}, payment_link_url: 'https://pay.example.com/{name}'}`,
      'customers:',
      ...o.businessIds.map(
        (b, i) => `  - {name: customer-${i + 1}, business_ids: ['${b}'], email: [finance@customer-${i + 1}.example]}`,
      ),
      '',
    ].join('\n'),
  );
  let exporter: Child | undefined;
  let prometheus: Awaited<ReturnType<typeof startPrometheus>> | undefined;
  try {
    exporter = await startCli(
      ['--config.file', cfg, '--web.listen-address=127.0.0.1:0', '--log.level=info'],
      {
        WHATSAPP_ACCESS_TOKEN: 'bench-token',
        WHATSAPP_BUSINESS_IDS: o.businessIds.join(','),
        WHATSAPP_GRAPH_API_URL: o.sandboxUrl,
        WHATSAPP_APP_SECRET: APP_SECRET,
        ...o.env,
      },
      (l) => l.msg === 'exporter listening',
    );
    const url = exporter.line.url as string;
    const all = await scrapeUntil(
      url,
      (t) => numberRows(t) === o.phones,
      (t) => `only ${numberRows(t)} of ${o.phones} numbers exported`,
    );
    const events = await postStatusesForEveryNumber(url, WEBHOOK_PATH, APP_SECRET, numbersOf(all));
    o.log(`${o.mode}: posted ${events} statuses for ${o.phones} numbers`);
    // Until the exposition counts every status (a render of a large exposition takes a while), then
    // until two scrapes a second apart agree.
    const counted = (t: string) =>
      [...t.matchAll(/^whatsapp_webhook_events_total\{field="messages",event="[a-z]+"\} (\d+)$/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    await scrapeUntil(
      url,
      (t) => counted(t) >= events,
      (t) => `the exposition counts ${counted(t)} of ${events} statuses`,
      1_200,
    );
    const { text, gzipBytes } = await scrapeSteady(url);
    const lines = samples(text);
    writeFileSync(join(dir, 'metrics.txt'), text);
    o.log(`${o.mode}: ${lines.length} series, ${gzipBytes} gzip bytes (${join(dir, 'metrics.txt')})`);

    // A real Prometheus with the shipped configuration and rules, scraping only the exporter (and
    // itself): the user's cost of our series, rule evaluation included.
    const pdir = join(dir, 'prometheus');
    const rulesFile = join(dir, 'whatsapp.rules.yml');
    writeFileSync(rulesFile, renderRules());
    const exporterHost = url.replace(/^http:\/\//, '');
    const promPort = await freePort();
    const config = localPrometheusConfig(readFileSync(resolve('prometheus.yml'), 'utf8'), {
      exporter: exporterHost,
      alertmanager: '127.0.0.1:1',
      rulesFile,
      self: `127.0.0.1:${promPort}`,
    });
    prometheus = await startPrometheus({ config, dir: pdir, port: promPort });
    await sleep(o.seconds * 1_000);
    const value = async (expr: string) => {
      const r = await prometheus!.query(expr);
      const v = r.data?.result[0]?.value[1];
      if (v === undefined) throw new Error(`no result for ${expr}: ${JSON.stringify(r)}`);
      return Number(v);
    };
    const job = 'whatsapp-business-exporter';
    const headSeries = await value('max_over_time(prometheus_tsdb_head_series[1m])');
    // The first scrape creates every series in the head (a one-time cost); the steady state is the median.
    const scrapeSeconds = await value(`quantile_over_time(0.5, scrape_duration_seconds{job="${job}"}[${o.seconds}s])`);
    const slowestScrape = await value(`max_over_time(scrape_duration_seconds{job="${job}"}[${o.seconds}s])`);
    const scrapes = await value(`count_over_time(scrape_duration_seconds{job="${job}"}[${o.seconds}s])`);
    const up = await value(`min_over_time(up{job="${job}"}[${o.seconds}s])`);
    if (up !== 1) throw new Error(`Prometheus could not scrape the exporter (up=${up})`);
    // What the shipped rules cost at this size (the name joins included), and that none fails: a
    // join that is not one-to-one would fail the whole rule for every number, silently but for this.
    // The median evaluation (steady state; the first one after start reads every series cold).
    const ruleSeconds = await value(
      `sum(quantile_over_time(0.5, prometheus_rule_group_last_duration_seconds{rule_group=~".*whatsapp.*"}[${o.seconds}s]))`,
    );
    const ruleFailures = await value(`sum(prometheus_rule_evaluation_failures_total{rule_group=~".*whatsapp.*"})`);
    if (ruleFailures !== 0) throw new Error(`${ruleFailures} rule evaluations failed; see ${pdir}`);
    const firing = await value('count(ALERTS{alertstate="firing"}) or vector(0)');
    const perGroup = await prometheus.query(
      `quantile_over_time(0.5, prometheus_rule_group_last_duration_seconds{rule_group=~".*whatsapp.*"}[${o.seconds}s])`,
    );
    const ruleGroups = Object.fromEntries(
      (perGroup.data?.result ?? []).map((r) => [
        String(r.metric.rule_group).replace(/^.*;/, ''),
        Math.round(Number(r.value[1]) * 1000) / 1000,
      ]),
    );
    const rss = peakRssMb(prometheus.pid);
    return {
      mode: o.mode,
      series: lines.length,
      series_per_number: Math.round((lines.length / o.phones) * 100) / 100,
      metrics_gzip_bytes: gzipBytes,
      webhook_status_events: events,
      prometheus_head_series: headSeries,
      prometheus_rss_mb: rss,
      prometheus_scrape_seconds: Math.round(scrapeSeconds * 1000) / 1000,
      prometheus_slowest_scrape_seconds: Math.round(slowestScrape * 1000) / 1000,
      prometheus_scrapes: scrapes,
      prometheus_rule_eval_seconds: Math.round(ruleSeconds * 1000) / 1000,
      prometheus_alerts_firing: firing,
      prometheus_rule_group_seconds: ruleGroups,
      largest_families: families(lines),
    };
  } finally {
    await prometheus?.stop();
    stop(exporter);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      'phone-numbers': { type: 'string', default: '10000' },
      wabas: { type: 'string', default: '2000' },
      businesses: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '120' },
      modes: { type: 'string', default: 'active,full' },
    },
  });
  const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
  const phones = Number(values['phone-numbers']);
  let sandbox: Child | undefined;
  try {
    sandbox = await startCli(
      [
        'sandbox',
        '--port=0',
        `--phone-numbers=${phones}`,
        `--wabas=${values.wabas}`,
        `--businesses=${values.businesses}`,
        '--scenario=static',
      ],
      {},
      (l) => typeof l.url === 'string',
    );
    const out: BudgetResult[] = [];
    for (const mode of (values.modes ?? '').split(',') as StateSetMode[]) {
      out.push(
        await benchBudget({
          sandboxUrl: sandbox.line.url as string,
          businessIds: sandbox.line.businesses as string[],
          phones,
          mode,
          seconds: Number(values.seconds),
          log,
        }),
      );
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    stop(sandbox);
  }
}
