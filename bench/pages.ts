/**
 * The overview pages and the JSON API at fleet size: weight (plain and gzip) and latency of the
 * summary, a search, a problem list, detail pages and 500-item API pages, each measured from a
 * child process like the scrapes; then /metrics latency while four clients load pages, against
 * the same scraper when idle (rendering must not block scrapes).
 */
import { request } from 'undici';
import { round, scrapeInChild, summarize, type LatencyResult } from './scrape.js';

export interface PageFigures {
  readonly path: string;
  readonly bytes: number;
  readonly gzip_bytes: number;
  readonly median_ms: number;
  readonly p99_ms: number;
}

async function plainBytes(url: string): Promise<{ bytes: number; text: string }> {
  const r = await request(url);
  const text = await r.body.text();
  if (r.statusCode !== 200) throw new Error(`${url} answered ${r.statusCode}: ${text.slice(0, 200)}`);
  return { bytes: Buffer.byteLength(text), text };
}

export async function benchPages(url: string, log: (m: string) => void): Promise<Record<string, unknown>> {
  const home = await plainBytes(`${url}/`);
  const phones = (await (await request(`${url}/api/v1/phone-numbers?limit=1`)).body.json()) as {
    items: Array<{ phone_number_id: string; business_id: string; display_phone_number: string }>;
  };
  const p = phones.items[0];
  if (!p) throw new Error('no numbers to bench the pages with');
  const digits = p.display_phone_number.replace(/\D/g, '').slice(-7);
  const paths = [
    '/',
    `/?q=${digits}`,
    '/problems?kind=phone',
    '/phone-numbers',
    `/businesses/${p.business_id}`,
    `/phone-numbers/${p.phone_number_id}`,
    '/api/v1/overview',
    '/api/v1/phone-numbers?limit=500',
    '/api/v1/templates?limit=500',
    '/api/v1/problems?limit=500',
  ];
  const figures: PageFigures[] = [];
  for (const path of paths) {
    const plain = path === '/' ? home : await plainBytes(`${url}${path}`);
    const r = summarize(
      await scrapeInChild({ url: `${url}${path}`, concurrency: 1, perScraper: 30, gzip: true, warmup: 3 }),
    );
    figures.push({ path, bytes: plain.bytes, gzip_bytes: r.bytes, median_ms: r.median, p99_ms: r.p99 });
    log(`page ${path}: ${plain.bytes} B (${r.bytes} B gzip), median ${r.median} ms, p99 ${r.p99} ms`);
  }
  // Cold: the first request after the view model expired (VIEW_TTL_MS, 1 s) builds it again.
  const cold: number[] = [];
  for (let i = 0; i < 7; i++) {
    await new Promise((r) => setTimeout(r, 1_100));
    const t = performance.now();
    await plainBytes(`${url}/`);
    cold.push(performance.now() - t);
  }
  cold.sort((a, b) => a - b);
  const coldMedian = round(cold[3] as number);
  log(`page / with a fresh view-model build: median ${coldMedian} ms (max ${round(cold[6] as number)} ms)`);
  const scrape = (): Promise<LatencyResult> =>
    scrapeInChild({ url: `${url}/metrics`, concurrency: 1, perScraper: 100, gzip: true, warmup: 2 }).then((x) =>
      summarize(x),
    );
  const idle = await scrape();
  // Page clients in their own processes, started first and busy for longer than the 100 scrapes take:
  // the summary (its view model is rebuilt every second while requested) and 500-item API pages.
  const t0 = performance.now();
  const loads = [
    scrapeInChild({ url: `${url}/`, concurrency: 2, perScraper: 400, gzip: true, warmup: 0 }),
    scrapeInChild({
      url: `${url}/api/v1/phone-numbers?limit=500`,
      concurrency: 2,
      perScraper: 400,
      gzip: true,
      warmup: 0,
    }),
  ];
  await new Promise((r) => setTimeout(r, 1_000));
  const busy = await scrape();
  const served = (await Promise.all(loads)).reduce((n, r) => n + r.times.length, 0);
  const perSecond = round(served / ((performance.now() - t0) / 1000), 0);
  log(
    `/metrics while pages load: median ${busy.median} ms, p99 ${busy.p99} ms (idle: median ${idle.median} ms, p99 ${idle.p99} ms; ${served} pages at ${perSecond}/s meanwhile)`,
  );
  return {
    pages: figures,
    metrics_latency_idle_ms: { median: idle.median, p99: idle.p99 },
    metrics_latency_while_pages_ms: { median: busy.median, p99: busy.p99 },
    pages_per_second_meanwhile: perSecond,
    home_cold_median_ms: coldMedian,
    home_bytes: home.bytes,
    home_kib: round(home.bytes / 1024, 1),
  };
}
