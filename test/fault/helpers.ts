import v8 from 'node:v8';
import vm from 'node:vm';
import { request } from 'undici';
import { expect } from 'vitest';
import type { Harness } from '../helpers/harness.js';

/** Every scrape must answer 200 within this, whatever upstream is doing (a typical scrape_timeout is 10 s; we ask for far less). */
export const SCRAPE_BUDGET_MS = 2_000;

export interface ScrapeResult {
  status: number;
  ms: number;
  text: string;
}

export async function timedScrape(url: string, gzip = false): Promise<ScrapeResult> {
  const t0 = performance.now();
  const res = await request(`${url}/metrics`, {
    headers: gzip ? { 'accept-encoding': 'gzip' } : {},
    headersTimeout: SCRAPE_BUDGET_MS * 2,
    bodyTimeout: SCRAPE_BUDGET_MS * 2,
  });
  const text = gzip ? String((await res.body.arrayBuffer()).byteLength) : await res.body.text();
  return { status: res.statusCode, ms: performance.now() - t0, text };
}

/** Scrapes in the background while faults run; `stop()` returns every result. */
export function scrapeLoop(url: string, everyMs = 25): { stop(): Promise<ScrapeResult[]> } {
  const results: ScrapeResult[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      const r = await timedScrape(url);
      results.push({ ...r, text: '' }); // bodies are checked elsewhere; keeping them would skew the memory case
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      on = false;
      await loop;
      return results;
    },
  };
}

/** All answered 200 within the budget. */
export function expectAllFast(results: readonly ScrapeResult[]): void {
  expect(results.length).toBeGreaterThan(0);
  expect(results.filter((r) => r.status !== 200)).toEqual([]);
  expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(SCRAPE_BUDGET_MS);
}

/** No series (name + labels) appears twice in an exposition: nothing exported or counted twice. */
export function expectNoDuplicateSeries(text: string): void {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const series = line.slice(0, line.lastIndexOf(' '));
    if (seen.has(series)) dups.push(series);
    seen.add(series);
  }
  expect(dups).toEqual([]);
}

/** Series lines of the families whose values come from upstream data (phone, WABA, template, limit, token). */
export function dataSeries(text: string): string[] {
  return text
    .split('\n')
    .filter((l) =>
      /^whatsapp_(phone_number_(info|status|quality|health|throughput|name_status)|business_account_|message_template|messaging_limit|access_token_valid)/.test(
        l,
      ),
    )
    .sort();
}

export const value = (text: string, series: string): number | undefined => {
  for (const line of text.split('\n')) if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  return undefined;
};

/** `global.gc` without a command-line flag (vitest cannot pass --expose-gc to one file only). */
export function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

export async function heapAfterGc(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

export const up = (_h: Harness, text: string, source: string, target: string) =>
  value(text, `whatsapp_exporter_source_up{source="${source}",target="${target}"}`);
