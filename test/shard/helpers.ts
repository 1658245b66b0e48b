import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { request } from 'undici';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { Clock } from '../../src/util/clock.js';
import { sign } from '../../src/webhooks/index.js';

/** The status body builder lives with the other test helpers; re-exported for the shard tests. */
export { statusWebhook } from '../helpers/webhook-bodies.js';

export const TOKEN = 'EAAshard-test-token-0123456789';
export const APP_SECRET = 'shard-app-secret-0123456789';

export interface Replica {
  exp: RunningExporter;
  logs(): string;
  refresh(): Promise<void>;
  scrape(): Promise<string>;
  targets(): Promise<{ shard: string; targets: Array<{ source: string; target: string; interval_seconds: number }> }>;
  /** POSTs a raw webhook body signed with APP_SECRET; returns the status. */
  post(body: string): Promise<number>;
  close(): Promise<void>;
}

/** One exporter replica against a shared sandbox, like test/helpers/harness.ts but without owning the sandbox. */
export async function replica(
  sb: Sandbox,
  o: {
    shard?: { index: number; count: number };
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    clock?: Clock;
  } = {},
): Promise<Replica> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-shard-'));
  const file = join(dir, 'config.yml');
  const long = { interval: '1h' };
  writeFileSync(
    file,
    stringify({
      graph: { timeout: '2s', retry_base: '10ms', retry_max: '40ms', batch_window: '5ms', throttle_pause: '10m' },
      sources: { graph_accounts: long, graph_limits: long, graph_templates: long, graph_token: long },
      storage: { path: join(dir, 'data') },
      billing: { meta_pricing: { enabled: false } },
      webhooks: { app_secret: APP_SECRET },
      ...(o.shard ? { shard: o.shard } : {}),
      ...o.config,
    }),
  );
  const config = loadConfig({
    file,
    env: {
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      WHATSAPP_GRAPH_API_URL: sb.url,
      WHATSAPP_BUSINESS_IDS: sb.state.businessIds().join(','),
      ...o.env,
    },
  });
  let logText = '';
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logText += String(chunk);
      cb();
    },
  });
  const exp = await startExporter({
    config,
    logger: pino({ level: 'debug' }, sink),
    listen: { host: '127.0.0.1', port: 0 },
    processMetrics: false,
    random: () => 0.5,
    liveTtlMs: 0,
    clock: o.clock,
    webhookStream: false,
  });
  await exp.poller.settle();
  await exp.exposition.flush();
  return {
    exp,
    logs: () => logText,
    async refresh() {
      await exp.poller.runAll();
      await exp.exposition.flush();
    },
    async scrape() {
      const res = await request(`${exp.url}/metrics`);
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`scrape answered ${res.statusCode}`);
      return text;
    },
    async targets() {
      return (await (await request(`${exp.url}/-/targets`)).body.json()) as Awaited<ReturnType<Replica['targets']>>;
    },
    async post(body) {
      const res = await request(`${exp.url}${config.webhooks.path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, APP_SECRET) },
      });
      await res.body.dump();
      await exp.exposition.flush();
      return res.statusCode;
    },
    close: () => exp.close(),
  };
}

/** Label value of every series line of a family. */
export function labelValues(text: string, family: string, label: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`)) continue;
    const m = new RegExp(`[{,]${label}="([^"]*)"`).exec(line);
    if (m?.[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/** Sum of the values of the series lines of a family whose labels contain `match`. */
export function sumOf(text: string, family: string, match = ''): number {
  let n = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${family}{`) && line.includes(match)) n += Number(line.slice(line.lastIndexOf(' ') + 1));
  return n;
}
