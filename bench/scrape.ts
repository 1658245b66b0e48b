import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, get } from 'node:http';
import { fileURLToPath } from 'node:url';

export interface LatencyResult {
  median: number;
  p99: number;
  bytes: number;
}

/** What one scraper process measured: every timed scrape, in ms. */
export interface ScrapeRun {
  times: number[];
  bytes: number;
}

export interface ScrapeOptions {
  url: string;
  concurrency: number;
  perScraper: number;
  gzip: boolean;
  /** Scrapes per scraper before timing starts (connection setup, first-request JIT). */
  warmup: number;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

/**
 * One scrape with node:http, counting the body bytes without buffering them: the bench should
 * measure the exporter, not a client assembling megabytes of body in JavaScript.
 */
function scrapeOnce(url: string, agent: Agent, gzip: boolean): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: gzip ? { 'accept-encoding': 'gzip' } : {} }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve({ ms: performance.now() - t0, bytes })
          : reject(new Error(`scrape answered ${res.statusCode}`)),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** `concurrency` scrapers, each doing `perScraper` scrapes back to back (closed loop), like Prometheus on keep-alive. */
export async function scrapeLatency(o: ScrapeOptions): Promise<ScrapeRun> {
  const times: number[] = [];
  let bytes = 0;
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < o.warmup + o.perScraper; i++) {
        const r = await scrapeOnce(o.url, agent, o.gzip);
        if (i >= o.warmup) times.push(r.ms);
        bytes = r.bytes;
      }
      agent.destroy();
    }),
  );
  return { times, bytes };
}

/** Median and p99 over one or more runs (pooled, so alternating rounds share out the machine's noise). */
export function summarize(...runs: ScrapeRun[]): LatencyResult {
  const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
  return { median: round(pct(times, 0.5)), p99: round(pct(times, 0.99)), bytes: runs.at(-1)?.bytes ?? 0 };
}

/**
 * Runs the scrapers in a fresh child process, as Prometheus is one: the bench process has parsed
 * 55 MB plain-text bodies and runs the naive baseline, and its garbage collections would otherwise
 * be measured as exporter latency.
 */
export async function scrapeInChild(o: ScrapeOptions): Promise<ScrapeRun> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(o)], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [msg] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`scraper exited with ${String(code)}`))),
  ])) as [ScrapeRun];
  child.kill();
  return msg;
}

export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

// Child entry: `fork(bench/scrape.ts, [options])` measures and sends the result back.
if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const send = process.send.bind(process);
  scrapeLatency(JSON.parse(process.argv[2] ?? '{}') as ScrapeOptions).then(
    (r) => send(r),
    (err: unknown) => {
      process.stderr.write(`scraper failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
