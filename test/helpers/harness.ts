import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { request } from 'undici';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import type { Clock } from '../../src/util/clock.js';

export const TEST_TOKEN = 'EAAtest-secret-token-0123456789';

export interface Harness {
  /** The YAML config file the exporter was started with (tests rewrite it to test reload). */
  file: string;
  sb: Sandbox;
  exp: RunningExporter;
  /** Every log line the exporter wrote, as text. */
  logs(): string;
  /** Runs every loop once and waits for the cached exposition to be re-rendered. */
  refresh(): Promise<void>;
  scrape(opts?: { gzip?: boolean; headers?: Record<string, string> }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The exporter against the sandbox, both over real HTTP on 127.0.0.1:0. Loops are set to long
 * intervals so that a test decides when a refresh happens (refresh()), and retries are fast.
 */
export async function harness(
  o: {
    sandbox?: SandboxOptions;
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    ids?: 'businesses' | 'wabas';
    clock?: Clock;
    storageDir?: string;
    sandboxUrlPlaceholder?: string;
    /** Process and Node.js metrics in the exposition (off: they vary from run to run). */
    processMetrics?: boolean;
  } = {},
): Promise<Harness> {
  const sb = await startSandbox({ seed: 1, scenario: 'static', clock: o.clock, ...o.sandbox });
  const dir = mkdtempSync(join(tmpdir(), 'wbe-test-'));
  const file = join(dir, 'config.yml');
  const long = { interval: '1h' };
  const yaml = (doc: object) =>
    o.sandboxUrlPlaceholder ? stringify(doc).replaceAll(o.sandboxUrlPlaceholder, sb.url) : stringify(doc);
  writeFileSync(
    file,
    yaml({
      graph: { timeout: '2s', retry_base: '10ms', retry_max: '40ms', batch_window: '5ms', throttle_pause: '10m' },
      sources: { graph_accounts: long, graph_limits: long, graph_templates: long, graph_token: long },
      storage: { path: o.storageDir ?? join(dir, 'data') },
      // Graph contract tests count requests: Meta pricing is opt-in per test.
      billing: { meta_pricing: { enabled: false } },
      // Tests of polling and staleness read the health of healthy targets too, so every target's
      // series is opted in; the default (failing or stale targets only) is tested in
      // test/contract/lean-exposition.test.ts, which passes its own `metrics`.
      metrics: {
        opt_in: [
          'whatsapp_exporter_source_(up|last_success_timestamp_seconds|last_attempt_timestamp_seconds|refresh_duration_seconds|refresh_interval_seconds)',
        ],
      },
      ...o.config,
    }),
  );
  const idEnv =
    o.ids === 'wabas'
      ? { WHATSAPP_WABA_IDS: sb.state.wabaIds().join(',') }
      : { WHATSAPP_BUSINESS_IDS: sb.state.businessIds().join(',') };
  const config = loadConfig({
    file,
    env: { WHATSAPP_ACCESS_TOKEN: TEST_TOKEN, WHATSAPP_GRAPH_API_URL: sb.url, ...idEnv, ...o.env },
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
    processMetrics: o.processMetrics ?? false,
    random: () => 0.5,
    liveTtlMs: 0,
    clock: o.clock,
    reloadConfig: () =>
      loadConfig({
        file,
        env: { WHATSAPP_ACCESS_TOKEN: TEST_TOKEN, WHATSAPP_GRAPH_API_URL: sb.url, ...idEnv, ...o.env },
      }),
  });
  await exp.poller.settle();
  await exp.exposition.flush();
  return {
    file,
    sb,
    exp,
    logs: () => logText,
    async refresh() {
      await exp.poller.runAll();
      await exp.exposition.flush();
    },
    async scrape(opts = {}) {
      const res = await request(`${exp.url}${config.web.telemetryPath}`, {
        headers: { ...(opts.gzip ? { 'accept-encoding': 'gzip' } : {}), ...opts.headers },
      });
      const buf = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode !== 200) throw new Error(`scrape answered ${res.statusCode}: ${buf.toString()}`);
      return res.headers['content-encoding'] === 'gzip' ? gunzipSync(buf).toString() : buf.toString();
    },
    async close() {
      await exp.close();
      await sb.close();
    },
  };
}

/** The value of one series in an exposition, or undefined when the series is absent. */
export function sample(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1).replace('+Inf', 'Infinity'));
  }
  return undefined;
}

/** All series lines of a family. */
export function family(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}
