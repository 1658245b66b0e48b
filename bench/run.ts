/**
 * npm run bench [-- --phone-numbers N --wabas M --businesses P --scrapers 10 --scrapes 30 --rounds 3 --no-naive --no-webhooks --no-pages --prometheus-seconds 120]
 *
 * Runs the Graph sandbox and the exporter as separate processes (so the exporter's memory and
 * latency are its own), waits for the first full refresh, then scrapes /metrics with 10
 * concurrent scrapers from another process, alternating with a static server that sends the same
 * bytes (the floor). Prints progress to stderr and, as its last stdout line, one JSON object.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { peakRssMb, startCli, stop, type Child } from './procs.js';
import { startNaive } from './naive.js';
import { round, scrapeInChild, summarize, type ScrapeRun } from './scrape.js';
import { startStaticServer } from './static.js';
import { benchWebhooks } from './webhooks.js';
import { benchBudget } from './budget.js';
import { numberRows, scrapeSteady, scrapeUntil } from './exposition.js';
import { benchPages } from './pages.js';

const { values } = parseArgs({
  options: {
    'phone-numbers': { type: 'string', default: '10000' },
    wabas: { type: 'string', default: '2000' },
    businesses: { type: 'string', default: '200' },
    scrapers: { type: 'string', default: '10' },
    scrapes: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
    naive: { type: 'boolean', default: true },
    webhooks: { type: 'boolean', default: true },
    pages: { type: 'boolean', default: true },
    /** Seconds a real Prometheus scrapes each state-set mode (0 = skip). */
    'prometheus-seconds': { type: 'string', default: '120' },
  },
  allowNegative: true,
});
const phones = Number(values['phone-numbers']);
const wabas = Number(values.wabas);
const businesses = Math.min(Number(values.businesses), wabas);
const log = (msg: string) => process.stderr.write(`bench: ${msg}\n`);
/** The container's heap cap (Dockerfile NODE_OPTIONS); BENCH_EXPORTER_HEAP_MB=0 measures without one. */
const heapMb = process.env.BENCH_EXPORTER_HEAP_MB === '0' ? '' : (process.env.BENCH_EXPORTER_HEAP_MB ?? '256');
/**
 * The image's other V8 flags (the Dockerfile's NODE_OPTIONS, read from it so the bench measures what
 * ships), unless measuring uncapped; BENCH_EXPORTER_V8_FLAGS overrides them.
 */
const v8Flags =
  process.env.BENCH_EXPORTER_V8_FLAGS ??
  (heapMb === ''
    ? ''
    : imageNodeOptions()
        .filter((f) => !f.startsWith('--max-old-space-size='))
        .join(' '));

async function json(url: string, method: 'GET' | 'POST' = 'GET'): Promise<Record<string, unknown>> {
  const r = await request(url, { method });
  return (await r.body.json()) as Record<string, unknown>;
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const r = await request(`${url}/-/ready`).catch(() => undefined);
    await r?.body.dump();
    if (r?.statusCode === 200) return;
    await new Promise((res) => setTimeout(res, 20));
  }
  throw new Error('exporter not ready in time');
}

async function main(): Promise<void> {
  let sandbox: Child | undefined;
  let exporter: Child | undefined;
  try {
    log(`sandbox with ${phones} numbers in ${wabas} WABAs of ${businesses} portfolios`);
    sandbox = await startCli(
      [
        'sandbox',
        '--port=0',
        `--phone-numbers=${phones}`,
        `--wabas=${wabas}`,
        `--businesses=${businesses}`,
        '--scenario=static',
      ],
      {},
      (l) => typeof l.url === 'string',
    );
    const sbUrl = sandbox.line.url as string;
    const ids = sandbox.line.businesses as string[];
    const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-'));
    const cfg = join(dir, 'bench.yml');
    // Long intervals: the bench measures one full refresh, then scrapes a settled snapshot.
    writeFileSync(
      cfg,
      `sources:\n  graph_accounts: {interval: 1h}\n  graph_limits: {interval: 1h}\n  graph_templates: {interval: 1h}\n  graph_token: {interval: 1h}\nstorage: {path: ${join(dir, 'data')}}\nlog: {level: warn}\n` +
        // One wallet paying for every portfolio, as a BSP's: the pages show its runway and portfolios.
        `billing:\n  accounts:\n    - {name: bench-wallet, provider: http_json, url: '${sbUrl}/wallet/v1/balance', balance_path: balance, currency_path: currency, thresholds: {low: 100, critical: 25}, business_ids: [${ids.map((i) => `'${i}'`).join(', ')}]}\n`,
    );
    await json(`${sbUrl}/_sandbox/stats/reset`, 'POST');
    const t0 = performance.now();
    exporter = await startCli(
      ['--config.file', cfg, '--web.listen-address=127.0.0.1:0', '--log.level=info'],
      {
        WHATSAPP_ACCESS_TOKEN: 'bench-token',
        WHATSAPP_BUSINESS_IDS: ids.join(','),
        WHATSAPP_GRAPH_API_URL: sbUrl,
        NODE_HEAP: heapMb,
        NODE_V8_FLAGS: v8Flags,
      },
      (l) => l.msg === 'exporter listening',
    );
    const url = exporter.line.url as string;
    await waitReady(url, 300_000);
    const refreshSeconds = (performance.now() - t0) / 1000;
    const stats = await json(`${sbUrl}/_sandbox/stats`);
    log(
      `first full refresh: ${round(refreshSeconds)} s, ${String(stats.httpRequests)} HTTP requests (${String(stats.subRequests)} batch sub-requests)`,
    );

    // Renders run in the background after each change; wait until the snapshot of the full
    // population is what a scrape serves, then measure steady state.
    // Polled with gzip, as Prometheus scrapes; the plain-text path is measured on its own below.
    await scrapeUntil(
      url,
      (t) => numberRows(t) === phones,
      (t) => `only ${numberRows(t)} of ${phones} numbers exported`,
      600,
    );
    const plainBody = Buffer.from((await scrapeSteady(url)).text);
    log(
      `all ${phones} numbers exported ${round((performance.now() - t0) / 1000)} s after start; ${plainBody.length} bytes`,
    );
    const series = plainBody
      .toString()
      .split('\n')
      .filter((l) => l && !l.startsWith('#')).length;
    const scrapers = Number(values.scrapers);
    const perScraper = Number(values.scrapes);
    const rounds = Math.max(1, Number(values.rounds));
    // The floor: the same gzip bytes from a process that does nothing else, scraped the same way.
    const gzBody = Buffer.from(
      await (await request(`${url}/metrics`, { headers: { 'accept-encoding': 'gzip' } })).body.arrayBuffer(),
    );
    const gzFile = join(dir, 'metrics.gz');
    writeFileSync(gzFile, gzBody);
    const floorServer = await startStaticServer(gzFile);
    // Exporter and floor take turns, so a noisy moment on the machine lands on both.
    const per = Math.max(1, Math.ceil(perScraper / rounds));
    const gzRuns: ScrapeRun[] = [];
    const floorRuns: ScrapeRun[] = [];
    for (let r = 0; r < rounds; r++) {
      gzRuns.push(
        await scrapeInChild({ url: `${url}/metrics`, concurrency: scrapers, perScraper: per, gzip: true, warmup: 2 }),
      );
      floorRuns.push(
        await scrapeInChild({ url: floorServer.url, concurrency: scrapers, perScraper: per, gzip: true, warmup: 2 }),
      );
    }
    floorServer.proc.kill();
    const gz = summarize(...gzRuns);
    const floor = summarize(...floorRuns);
    log(
      `gzip scrapes x${scrapers * per * rounds}: median ${gz.median} ms, p99 ${gz.p99} ms (static server with the same bytes: median ${floor.median} ms, p99 ${floor.p99} ms)`,
    );
    const single = summarize(
      await scrapeInChild({ url: `${url}/metrics`, concurrency: 1, perScraper: 50, gzip: true, warmup: 2 }),
    );
    log(`gzip scrapes, one scraper: median ${single.median} ms, p99 ${single.p99} ms`);
    const peakRssGzip = peakRssMb(exporter.proc.pid as number);
    const pl = summarize(
      await scrapeInChild({
        url: `${url}/metrics`,
        concurrency: scrapers,
        perScraper: Math.max(2, Math.floor(perScraper / 6)),
        gzip: false,
        warmup: 0,
      }),
    );
    log(`plain scrapes: median ${pl.median} ms, p99 ${pl.p99} ms`);
    const peakRss = peakRssMb(exporter.proc.pid as number);
    // The overview pages and JSON API over the same snapshot (bench/pages.ts).
    const pages = values.pages ? await benchPages(url, log) : {};
    stop(exporter);
    exporter = undefined;

    // The naive baseline over the same sandbox, measured now, not quoted.
    let naive: Record<string, unknown> = {};
    if (values.naive) {
      await json(`${sbUrl}/_sandbox/stats/reset`, 'POST');
      const tn = performance.now();
      const n = await startNaive(sbUrl, 'bench-token', ids);
      const naiveStats = await json(`${sbUrl}/_sandbox/stats`);
      log(
        `naive refresh: ${String(naiveStats.httpRequests)} HTTP requests in ${round((performance.now() - tn) / 1000)} s`,
      );
      // Rendering the registry per scrape is slow: fewer scrapes, same concurrency.
      const nl = summarize(
        await scrapeInChild({ url: n.url, concurrency: scrapers, perScraper: 1, gzip: true, warmup: 0 }),
      );
      log(`naive scrapes x${scrapers}: median ${nl.median} ms, p99 ${nl.p99} ms`);
      await n.close();
      naive = {
        naive_graph_http_requests_per_refresh: naiveStats.httpRequests,
        naive_metrics_latency_ms: { median: nl.median, p99: nl.p99 },
      };
    }
    let hooks: Record<string, unknown> = {};
    if (values.webhooks) {
      const w = await benchWebhooks({ seconds: 5, concurrency: 4, rate: 2_000 });
      log(
        `webhooks: capacity ${w.webhook_events_per_second} events/s; at ${w.webhook_offered_events_per_second}/s offered p99 ack ${w.webhook_ack_p99_ms} ms`,
      );
      hooks = w as unknown as Record<string, unknown>;
    }
    // What the series cost a real Prometheus, per state-set mode, after a status of each kind on
    // every number (bench/budget.ts).
    const budget: Record<string, unknown> = {};
    const promSeconds = Number(values['prometheus-seconds']);
    if (promSeconds > 0) {
      for (const mode of ['active', 'full'] as const) {
        const b = await benchBudget({
          sandboxUrl: sbUrl,
          businessIds: ids,
          phones,
          mode,
          seconds: promSeconds,
          env: { NODE_HEAP: heapMb, NODE_V8_FLAGS: v8Flags },
          log,
        });
        log(
          `${mode}: ${b.series} series (${b.series_per_number}/number), ${b.metrics_gzip_bytes} gzip bytes; Prometheus: ${b.prometheus_head_series} head series, ${b.prometheus_rss_mb} MB RSS, scrape ${b.prometheus_scrape_seconds} s (slowest ${b.prometheus_slowest_scrape_seconds} s)`,
        );
        budget[mode === 'active' ? 'budget_default' : 'budget_state_sets_full'] = b;
      }
    }
    const result = {
      phone_numbers: phones,
      wabas,
      businesses,
      series,
      series_per_number: Math.round((series / phones) * 100) / 100,
      graph_http_requests_per_refresh: stats.httpRequests,
      graph_sub_requests_per_refresh: stats.subRequests,
      target_max_http_requests: 1.5 * Math.ceil(wabas / 50) + 2 * businesses,
      refresh_seconds: round(refreshSeconds),
      metrics_latency_ms: { median: gz.median, p99: gz.p99 },
      metrics_static_floor_latency_ms: { median: floor.median, p99: floor.p99 },
      metrics_single_scraper_latency_ms: { median: single.median, p99: single.p99 },
      metrics_plain_latency_ms: { median: pl.median, p99: pl.p99 },
      metrics_bytes: pl.bytes,
      metrics_gzip_bytes: gz.bytes,
      peak_rss_mb: peakRss,
      peak_rss_before_plain_scrapes_mb: peakRssGzip,
      exporter_heap_cap_mb: heapMb === '' ? null : Number(heapMb),
      exporter_v8_flags: v8Flags,
      pages,
      ...naive,
      ...hooks,
      ...budget,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    stop(exporter);
    stop(sandbox);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

/** NODE_OPTIONS of the Dockerfile's runtime stage, as flags. */
function imageNodeOptions(): string[] {
  // The ENV line, not a comment that mentions NODE_OPTIONS.
  const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
  const m = /^\s*(?:ENV\s+)?NODE_OPTIONS=(?:"([^"]*)"|(\S+))/m.exec(dockerfile);
  if (!m) throw new Error('no NODE_OPTIONS in the Dockerfile');
  return (m[1] ?? m[2] ?? '').split(/\s+/).filter(Boolean);
}
