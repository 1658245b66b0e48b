// Fuzz (#19, item 9): the exporter polls the sandbox through a real HTTP stub that mutates every
// Graph answer (seeded): odd values and types, dropped keys, duplicated list items, batch elements
// with broken codes or bodies, whole answers replaced by garbage. Never a crash, every scrape 200,
// no series twice, a bounded exposition; answers that are garbage as a whole keep the last good data.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { mulberry32 } from '../../src/util/random.js';
import { expectNoDuplicateSeries } from '../fault/helpers.js';
import { mutate, pick, type Rnd } from './mutate.js';

const SEEDS = [7, 8, 9];
const ROUNDS = 12;

type Mode = 'mutate' | 'garbage';

/** Forwards to the sandbox; in `mutate` mode changes the answers, in `garbage` mode replaces them. */
async function mutatingStub(target: string, rnd: Rnd) {
  const state = { mode: 'mutate' as Mode };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (state.mode === 'garbage') {
      const [status, type, body] = pick(rnd, [
        [200, 'application/json', '{"truncated":'],
        [502, 'text/html', '<html>bad gateway</html>'],
        [500, 'application/json', '{"error":{"code":2,"message":"transient"}}'],
        [200, 'application/json', '"a string"'],
        [200, 'application/json', '[]'],
      ] as const);
      res.writeHead(status, { 'content-type': type }).end(body);
      return;
    }
    const up = await request(`${target}${req.url}`, {
      method: req.method as 'GET' | 'POST',
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const text = await up.body.text();
    res.writeHead(up.statusCode, { 'content-type': 'application/json' }).end(mutateAnswer(rnd, text));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A batch answer's elements are mutated one by one (their bodies are JSON strings); other answers whole. */
function mutateAnswer(rnd: Rnd, text: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  if (Array.isArray(doc) && rnd() < 0.9) {
    return JSON.stringify(
      doc.map((el: { code?: unknown; body?: unknown } | null) => {
        if (el === null || rnd() < 0.5) return el;
        if (rnd() < 0.1) return mutate(rnd, el);
        try {
          return { ...el, body: JSON.stringify(mutate(rnd, JSON.parse(String(el.body)))) };
        } catch {
          return el;
        }
      }),
    );
  }
  return rnd() < 0.7 ? JSON.stringify(mutate(rnd, doc)) : text;
}

let sb: Sandbox | undefined;
let exp: RunningExporter | undefined;
let stub: Awaited<ReturnType<typeof mutatingStub>> | undefined;
afterEach(async () => {
  await exp?.close();
  await stub?.close();
  await sb?.close();
  exp = sb = stub = undefined;
});

const dataLines = (t: string) =>
  t.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('whatsapp_exporter_'));

async function scrape(e: RunningExporter): Promise<string> {
  await e.exposition.flush();
  const r = await request(`${e.url}/metrics`);
  expect(r.statusCode).toBe(200);
  return r.body.text();
}

describe('fuzz: Graph answers, mutated by a real HTTP stub (#19, item 9)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${ROUNDS} refreshes of mutated answers, then garbage`, async () => {
      const rnd = mulberry32(seed);
      sb = await startSandbox({
        seed,
        scenario: 'static',
        phoneNumbers: 6,
        wabas: 2,
        businesses: 1,
        templatesPerWaba: 3,
      });
      stub = await mutatingStub(sb.url, rnd);
      const d = mkdtempSync(join(tmpdir(), 'wbe-fuzz-graph-'));
      const file = join(d, 'config.yml');
      writeFileSync(
        file,
        [
          'graph: { timeout: 2s, retry_base: 5ms, retry_max: 20ms, batch_window: 5ms, max_retries: 1, throttle_pause: 1s }',
          `storage: { path: ${join(d, 'data')} }`,
          'sources: { graph_accounts: { interval: 1h }, graph_limits: { interval: 1h }, graph_templates: { interval: 1h }, graph_token: { interval: 1h } }',
          'billing: { meta_pricing: { enabled: true, interval: 1h } }',
          'metrics: { state_sets: full, opt_in: [".*"] }',
        ].join('\n'),
      );
      const config = loadConfig({
        file,
        env: {
          WHATSAPP_ACCESS_TOKEN: 'EAAfuzz-token',
          WHATSAPP_GRAPH_API_URL: stub.url,
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
      let max = 0;
      for (let round = 0; round < ROUNDS; round++) {
        await exp.poller.runAll();
        const text = await scrape(exp);
        expectNoDuplicateSeries(text);
        max = Math.max(max, dataLines(text).length);
      }
      // Mutated answers can add objects (a changed id is a new one) and unknown enum values, but
      // only as many as an answer lists: far below this for 6 numbers, 2 WABAs, 6 templates.
      expect(max, `seed ${seed}: data series`).toBeLessThan(2_000);

      // Garbage as a whole: every refresh fails, and the last good data stays (max_staleness is hours).
      const before = dataLines(await scrape(exp)).filter((l) => !/^whatsapp_(access_token|graph_api)/.test(l));
      stub.state.mode = 'garbage';
      for (let round = 0; round < 4; round++) await exp.poller.runAll();
      const after = dataLines(await scrape(exp)).filter((l) => !/^whatsapp_(access_token|graph_api)/.test(l));
      expect(after, `seed ${seed}: failed refreshes changed the data`).toEqual(before);
      const healthy = await request(`${exp.url}/-/healthy`);
      expect(healthy.statusCode).toBe(200);
      await healthy.body.text();
    });
  }
});
