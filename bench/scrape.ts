import { Agent, get } from 'node:http';

export interface LatencyResult {
  median: number;
  p99: number;
  bytes: number;
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
      res.on('end', () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t0, bytes }) : reject(new Error(`scrape answered ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** `concurrency` scrapers, each doing `perScraper` scrapes back to back (closed loop). */
export async function scrapeLatency(url: string, concurrency: number, perScraper: number, gzip: boolean): Promise<LatencyResult> {
  const times: number[] = [];
  let bytes = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < perScraper; i++) {
        const r = await scrapeOnce(url, agent, gzip);
        times.push(r.ms);
        bytes = r.bytes;
      }
      agent.destroy();
    }),
  );
  times.sort((a, b) => a - b);
  return { median: round(pct(times, 0.5)), p99: round(pct(times, 0.99)), bytes };
}

export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
