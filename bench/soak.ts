/**
 * npm run soak [-- --minutes 10 --phone-numbers 200 --wabas 20]
 *
 * The exporter (built CLI, its own process) against the Graph sandbox (another process) for
 * --minutes under mixed faults: Graph faults rotating every 10 s (slow, 5xx, HTML, truncated,
 * timeouts, throttling, an expired token), webhooks at ~20 POSTs/s (new statuses, redeliveries,
 * bad signatures, broken JSON, mutated corpus bodies), a scrape and a page every second, a reload
 * every 30 s. The exporter's heap and RSS (from its own process metrics) are sampled every 5 s;
 * the slope after a warm-up quarter is the figure: a leak shows as a steady positive slope. Not
 * a test (no pass/fail): the last stdout line is one JSON object with the numbers.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { request } from 'undici';
import { mulberry32 } from '../src/util/random.js';
import { startCli, stop, type Child } from './procs.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    'phone-numbers': { type: 'string', default: '200' },
    wabas: { type: 'string', default: '20' },
  },
});
const MINUTES = Number(values.minutes);
const SECRET = 'soak-app-secret';
const TOKEN = 'EAAsoak-token';
const SAMPLE_MS = 5_000;
const FAULTS: Array<Record<string, unknown>> = [
  { kind: 'slow', delayMs: 1500 },
  { kind: 'http_5xx' },
  { kind: 'html' },
  { kind: 'truncated' },
  { kind: 'timeout', times: 20 },
  { kind: 'throttle', regainMinutes: 0 },
  { kind: 'token_expired' },
  { kind: 'permission', match: 'message_templates' },
];
const log = (m: string) => process.stderr.write(`[soak] ${m}\n`);
const rnd = mulberry32(19);
const corpusDir = join(import.meta.dirname, '../test/fixtures/webhooks');
const CORPUS = readdirSync(corpusDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(join(corpusDir, f), 'utf8'));

async function main(): Promise<void> {
  const port = 20_000 + Math.floor(rnd() * 20_000);
  let sandbox: Child | undefined;
  let exporter: Child | undefined;
  try {
    sandbox = await startCli(
      [
        'sandbox',
        `--port=${port}`,
        `--phone-numbers=${values['phone-numbers']}`,
        `--wabas=${values.wabas}`,
        '--scenario=static',
      ],
      {},
      (l) => l.msg === 'Graph API sandbox listening',
    );
    const sbUrl = String(sandbox.line.url).replace('0.0.0.0', '127.0.0.1');
    const businesses = (sandbox.line.businesses as string[]).join(',');
    const dir = mkdtempSync(join(tmpdir(), 'wbe-soak-'));
    const file = join(dir, 'config.yml');
    const config = (interval: string) =>
      [
        'graph: { timeout: 2s, max_retries: 1, retry_base: 50ms, retry_max: 500ms, throttle_pause: 5s }',
        `sources: { graph_accounts: { interval: ${interval} }, graph_limits: { interval: ${interval} }, graph_templates: { interval: ${interval} }, graph_token: { interval: ${interval} } }`,
        'billing: { meta_pricing: { enabled: true, interval: 15s } }',
        `webhooks: { app_secret: ${SECRET} }`,
      ].join('\n');
    writeFileSync(file, config('10s'));
    const xport = port + 1;
    exporter = await startCli(
      [
        `--config.file=${file}`,
        `--storage.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${xport}`,
        '--log.level=warn',
      ],
      { WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_GRAPH_API_URL: sbUrl, WHATSAPP_BUSINESS_IDS: businesses },
      () => true,
    );
    const xUrl = `http://127.0.0.1:${xport}`;
    await waitFor(async () => (await get(`${xUrl}/-/ready`)).status === 200, 60_000);
    log(`exporter pid ${exporter.proc.pid} on ${xUrl}, sandbox ${sbUrl}, ${MINUTES} min`);

    const end = Date.now() + MINUTES * 60_000;
    const samples: Array<{ t: number; heap: number; rss: number }> = [];
    const counts = { posts: 0, post5xx: 0, scrapes: 0, scrapeFailures: 0, reloads: 0, faults: 0 };
    let msg = 0;

    const webhooks = (async () => {
      while (Date.now() < end) {
        const x = rnd();
        let body: string;
        let signature: string | undefined;
        if (x < 0.5) body = statusBody(`wamid.soak.${msg++}`);
        else if (x < 0.6)
          body = statusBody(`wamid.soak.${Math.floor(rnd() * Math.max(1, msg))}`); // redelivery
        else if (x < 0.8) body = mutateText(CORPUS[Math.floor(rnd() * CORPUS.length)] ?? '{}');
        else if (x < 0.9) body = '{"object": "whatsapp_business_account", "entry": [';
        else {
          body = statusBody(`wamid.soak.bad.${msg}`);
          signature = 'sha256=00';
        }
        signature ??= `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
        const r = await post(`${xUrl}/webhooks/whatsapp`, body, signature);
        counts.posts++;
        if (r >= 500) counts.post5xx++;
        await sleep(50);
      }
    })();
    const scrapes = (async () => {
      while (Date.now() < end) {
        const m = await get(`${xUrl}/metrics`);
        const p = await get(`${xUrl}/`);
        counts.scrapes++;
        if (m.status !== 200 || p.status !== 200) counts.scrapeFailures++;
        await sleep(1000);
      }
    })();
    const faults = (async () => {
      let i = 0;
      while (Date.now() < end) {
        await request(`${sbUrl}/_sandbox/faults`, { method: 'DELETE' }).then((r) => r.body.text());
        const spec = FAULTS[i++ % FAULTS.length];
        await request(`${sbUrl}/_sandbox/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(spec),
        }).then((r) => r.body.text());
        counts.faults++;
        await sleep(7_000);
        // A quiet stretch between faults, so loops recover and the data comes and goes.
        await request(`${sbUrl}/_sandbox/faults`, { method: 'DELETE' }).then((r) => r.body.text());
        await sleep(3_000);
        if (i % 3 === 0) {
          writeFileSync(file, config(i % 2 === 0 ? '10s' : '12s'));
          await request(`${xUrl}/-/reload`, { method: 'POST' }).then((r) => r.body.text());
          counts.reloads++;
        }
      }
    })();
    const sampler = (async () => {
      const t0 = Date.now();
      while (Date.now() < end) {
        const text = (await get(`${xUrl}/metrics`)).text;
        const heap = metric(text, 'nodejs_heap_size_used_bytes');
        const rss = metric(text, 'process_resident_memory_bytes');
        if (heap !== undefined && rss !== undefined) samples.push({ t: (Date.now() - t0) / 60_000, heap, rss });
        const last = samples[samples.length - 1];
        if (last)
          log(`${last.t.toFixed(2)} min: heap ${mb(last.heap)} MB, rss ${mb(last.rss)} MB, posts ${counts.posts}`);
        await sleep(SAMPLE_MS);
      }
    })();
    await Promise.all([webhooks, scrapes, faults, sampler]);

    const warm = samples.slice(Math.floor(samples.length / 4));
    const result = {
      minutes: MINUTES,
      samples: samples.length,
      heap_mb: {
        first: mb(samples[0]?.heap),
        last: mb(samples.at(-1)?.heap),
        max: mb(Math.max(...samples.map((s) => s.heap))),
      },
      rss_mb: {
        first: mb(samples[0]?.rss),
        last: mb(samples.at(-1)?.rss),
        max: mb(Math.max(...samples.map((s) => s.rss))),
      },
      // Least-squares slope over the samples after the first quarter (start-up and first fills).
      heap_slope_mb_per_min: round(slope(warm.map((s) => [s.t, s.heap / 2 ** 20]))),
      rss_slope_mb_per_min: round(slope(warm.map((s) => [s.t, s.rss / 2 ** 20]))),
      ...counts,
      exporter_alive: exporter.proc.exitCode === null,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    stop(exporter);
    stop(sandbox);
  }
}

function statusBody(id: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '100000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { display_phone_number: '15550000000', phone_number_id: '200000000000001' },
              statuses: [
                {
                  id,
                  status: rnd() < 0.8 ? 'delivered' : 'read',
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  recipient_id: String(4_915_000_000_000 + Math.floor(rnd() * 5_000)),
                  pricing: { billable: true, type: 'regular', category: rnd() < 0.5 ? 'marketing' : 'utility' },
                },
              ],
            },
          },
        ],
      },
    ],
  });
}

/** A corpus body with one value changed to a random enum-shaped string (a new status, field, …). */
function mutateText(text: string): string {
  return text.replace(
    /"(status|field|category|event)":\s*"[^"]*"/,
    (_m, k: string) => `"${k}":"x_${Math.floor(rnd() * 1e6)}"`,
  );
}

function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? NaN : num / den;
}

const metric = (text: string, name: string) => {
  const m = new RegExp(`^${name} ([0-9.e+]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};
const mb = (b: number | undefined) => (b === undefined ? undefined : Math.round(b / 2 ** 20));
const round = (x: number) => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function get(url: string): Promise<{ status: number; text: string }> {
  try {
    const r = await request(url, { headersTimeout: 10_000, bodyTimeout: 10_000 });
    return { status: r.statusCode, text: await r.body.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

async function post(url: string, body: string, signature: string): Promise<number> {
  try {
    const r = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    });
    await r.body.text();
    return r.statusCode;
  } catch {
    return 0;
  }
}

async function waitFor(ok: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok()) return;
    await sleep(250);
  }
  throw new Error('timed out waiting for the exporter');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
