// #19, D4: an access token never travels in a URL. debug_token takes the token to inspect as
// `input_token`; the exporter sends it as a Graph batch of one, so it is in the POST body. A stub in
// front of the sandbox refuses (and records) any request whose URL carries a token.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { sample } from '../helpers/harness.js';

const TOKEN = 'EAAurl-test-access-token-0001';
const SECOND = 'EAAurl-test-access-token-0002';
const APP = '1234567890|url-test-app-secret';
const SECRETS = [TOKEN, SECOND, APP];

/** Forwards to the sandbox; a URL with a token (or a token-carrying parameter) is a 500 and a violation. */
async function urlGuard(
  target: string,
): Promise<{ url: string; violations: string[]; seen: string[]; close(): Promise<void> }> {
  const violations: string[] = [];
  const seen: string[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const url = req.url ?? '';
    const decoded = decodeURIComponent(url);
    seen.push(`${req.method} ${url.slice(0, 80)}`);
    if (SECRETS.some((s) => url.includes(s) || decoded.includes(s)) || /[?&](input_token|access_token)=/.test(url)) {
      violations.push(`${req.method} ${url}`);
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"token in URL","code":1}}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const up = await request(`${target}${url}`, {
      method: req.method as 'GET' | 'POST',
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => k !== 'host' && k !== 'connection'),
      ) as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await up.body.arrayBuffer());
    const headers = Object.fromEntries(
      Object.entries(up.headers).filter(([k]) => !['content-length', 'transfer-encoding', 'connection'].includes(k)),
    );
    res.writeHead(up.statusCode, headers as Record<string, string>).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    violations,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let sb: Sandbox | undefined;
let exp: RunningExporter | undefined;
let guard: Awaited<ReturnType<typeof urlGuard>> | undefined;
afterEach(async () => {
  await exp?.close();
  await guard?.close();
  await sb?.close();
  exp = sb = guard = undefined;
});

async function start() {
  sb = await startSandbox({ seed: 1, scenario: 'static', phoneNumbers: 2, wabas: 1, businesses: 1 });
  guard = await urlGuard(sb.url);
  const dir = mkdtempSync(join(tmpdir(), 'wbe-url-'));
  const file = join(dir, 'config.yml');
  writeFileSync(
    file,
    [
      'graph: { timeout: 2s, retry_base: 10ms, retry_max: 40ms, batch_window: 5ms, max_retries: 0 }',
      'credentials:',
      '  - { name: second, access_token: "${SECOND_TOKEN}", app_token: "${APP_TOKEN}" }',
      'billing: { meta_pricing: { enabled: false } }',
      `storage: { path: ${join(dir, 'data')} }`,
      'sources: { graph_accounts: { interval: 1h }, graph_limits: { interval: 1h }, graph_templates: { interval: 1h }, graph_token: { interval: 1h } }',
    ].join('\n'),
  );
  const config = loadConfig({
    file,
    env: {
      WHATSAPP_ACCESS_TOKEN: TOKEN,
      SECOND_TOKEN: SECOND,
      APP_TOKEN: APP,
      WHATSAPP_GRAPH_API_URL: guard.url,
      WHATSAPP_BUSINESS_IDS: sb.state.businessIds().join(','),
    },
  });
  exp = await startExporter({
    config,
    logger: pino({ level: 'silent' }),
    listen: { host: '127.0.0.1', port: 0 },
    processMetrics: false,
    liveTtlMs: 0,
    random: () => 0.5,
  });
  await exp.poller.settle();
  await exp.exposition.flush();
  return { sb, guard, exp };
}

const scrape = async (e: RunningExporter) => (await request(`${e.url}/metrics`)).body.text();

describe('no token in any URL (#19, D4)', () => {
  it('debug_token goes as a batch of one, in a POST body, for the own token and for an app token', async () => {
    const x = await start();
    await x.exp.poller.runAll();
    await x.exp.exposition.flush();
    expect(x.guard.violations).toEqual([]);
    expect(x.sb.stats.byKind.debug_token).toBeGreaterThanOrEqual(2);
    const text = await scrape(x.exp);
    expect(sample(text, 'whatsapp_access_token_valid{credential="default"}')).toBe(1);
    expect(sample(text, 'whatsapp_access_token_valid{credential="second"}')).toBe(1);
    // Every Graph request went through the guard, and none was a GET on debug_token.
    expect(x.guard.seen.length).toBeGreaterThan(0);
    expect(x.guard.seen.filter((s) => s.includes('debug_token'))).toEqual([]);
  });

  it('after a 190 (the token is kicked and checked at once) the token stays out of URLs; valid drops to 0', async () => {
    const x = await start();
    const expired = x.sb.faults.add({ kind: 'token_expired' });
    await x.exp.poller.runAll();
    await x.exp.poller.settle();
    await x.exp.exposition.flush();
    expect(x.guard.violations).toEqual([]);
    expect(sample(await scrape(x.exp), 'whatsapp_access_token_valid{credential="default"}')).toBe(0);
    x.sb.faults.remove(expired);
    await x.exp.poller.runAll();
    await x.exp.exposition.flush();
    expect(sample(await scrape(x.exp), 'whatsapp_access_token_valid{credential="default"}')).toBe(1);
    expect(x.guard.violations).toEqual([]);
  });

  it('the sandbox answers debug_token in a batch like a GET, and refuses one without input_token', async () => {
    const x = await start();
    const post = (batch: unknown) =>
      request(`${x.sb.url}/v24.0/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ batch: JSON.stringify(batch) }).toString(),
      }).then((r) => r.body.json() as Promise<Array<{ code: number; body: string }>>);
    const [ok] = await post([{ method: 'GET', relative_url: `debug_token?input_token=${TOKEN}` }]);
    expect(ok?.code).toBe(200);
    expect(JSON.parse(ok?.body ?? '{}').data.is_valid).toBe(true);
    const [missing] = await post([{ method: 'GET', relative_url: 'debug_token' }]);
    expect(JSON.parse(missing?.body ?? '{}').error.code).toBe(100);
  });
});
