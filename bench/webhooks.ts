/**
 * Webhook ingestion bench: the webhook module (file DB in a temp dir, real cached exposition) in
 * this process behind express on 127.0.0.1:0; `concurrency` closed-loop clients POST signed,
 * Meta-shaped status batches (10–50 statuses per POST, like Meta's batching) for `seconds`.
 * Measures sustained status events per second and the ack latency of each POST.
 *
 *   npx tsx bench/webhooks.ts [--seconds 5] [--concurrency 4] [--rate 2000]   → one JSON line on stdout
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import express from 'express';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { Pool } from 'undici';
import type { Config } from '../src/config/config.js';
import { loadConfig } from '../src/config/load.js';
import { Secret } from '../src/config/secret.js';
import { Exposition } from '../src/metrics/exposition.js';
import { SnapshotStore } from '../src/poller/store.js';
import { systemClock } from '../src/util/clock.js';
import { createWebhookModule, sign } from '../src/webhooks/index.js';
import { round } from './scrape.js';
import { ACCOUNTS } from '../src/sources/keys.js';
import { webhookFragments } from '../src/collectors/webhooks.js';

export interface WebhookBenchResult {
  /** Capacity: status events per second acknowledged by closed-loop clients. */
  webhook_events_per_second: number;
  /** Ack latency at the offered rate (default 2,000 events/s, open loop). */
  webhook_ack_p99_ms: number;
  webhook_ack_median_ms: number;
  webhook_offered_events_per_second: number;
  /** Ack latency while saturated (closed loop): mostly queueing. */
  webhook_ack_p99_saturated_ms: number;
}

const SECRET = 'bench-app-secret';
const PATH = '/webhooks/whatsapp';
const CATEGORIES = ['marketing', 'utility', 'authentication', 'service'];
const CODES = ['91', '55', '44', '1', '62', '49'];

export async function benchWebhooks(
  o: { seconds?: number; concurrency?: number; rate?: number } = {},
): Promise<WebhookBenchResult> {
  const seconds = o.seconds ?? 5;
  const rate = o.rate ?? 2_000;
  const concurrency = o.concurrency ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'wbe-bench-webhooks-'));
  const base = loadConfig({ env: {}, flags: { storagePath: join(dir, 'data') } });
  const config: Config = {
    ...base,
    webhooks: {
      ...base.webhooks,
      enabled: true,
      path: PATH,
      appSecrets: [new Secret(SECRET)],
      marketingFrequencyCap: { messages: 4, windowMs: 7 * 86_400_000 },
    },
  };
  const store = new SnapshotStore();
  const wabas = Array.from({ length: 10 }, (_, i) => ({
    id: `10229012934${String(i).padStart(4, '0')}`,
    businessId: `90000000000${i % 3}`,
    name: `w${i}`,
    currency: 'USD',
    timezoneId: '1',
    phones: Array.from({ length: 5 }, (_, j) => ({
      id: `10654035${String(i * 10 + j).padStart(7, '0')}`,
      wabaId: '',
      businessId: '',
      displayPhoneNumber: `1555${String(i * 10 + j).padStart(7, '0')}`,
      verifiedName: 'x',
      platformType: 'CLOUD_API',
    })),
  }));
  store.update(ACCOUNTS, 'bench', () => ({
    source: 'graph_accounts',
    target: 'bench',
    intervalMs: 3_600_000,
    maxStalenessMs: 7_200_000,
    lastSuccess: Date.now(),
    data: { wabas },
  }));

  let invalidate: (d: string) => void = () => {};
  const mod = createWebhookModule({
    config: () => config,
    store,
    kick: () => {},
    clock: systemClock,
    logger: pino({ level: 'warn' }),
    invalidate: (d) => invalidate(d),
    priceFor: () => ({ price: 0.0125, currency: 'USD' }),
  });
  const exposition = new Exposition({
    fragments: webhookFragments(mod.view, store, systemClock, pino({ level: 'warn' })),
    live: new Registry(),
    logger: pino({ level: 'warn' }),
    clock: systemClock,
    coalesceMs: 1000,
  });
  invalidate = (d) => exposition.invalidate(d);
  const app = express();
  app.use(mod.router);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pool = new Pool(url, { connections: 64, pipelining: 1 });

  let seq = 0;
  const recipients = Array.from(
    { length: 5_000 },
    (_, i) => `${CODES[i % CODES.length]}98${String(7_000_000 + i * 13).padStart(8, '0')}`,
  );
  const batch = (): { body: string; events: number } => {
    const n = 10 + Math.floor(Math.random() * 41);
    const w = wabas[Math.floor(Math.random() * wabas.length)]!;
    const p = w.phones[Math.floor(Math.random() * w.phones.length)]!;
    const now = String(Math.floor(Date.now() / 1000));
    const statuses = Array.from({ length: n }, () => {
      const category = CATEGORIES[Math.floor(Math.random() * CATEGORIES.length)]!;
      return {
        id: `wamid.BENCH${++seq}`,
        status: 'sent',
        timestamp: now,
        recipient_id: recipients[Math.floor(Math.random() * recipients.length)],
        pricing: {
          billable: category !== 'service',
          pricing_model: 'PMP',
          type: category === 'service' ? 'free_customer_service' : 'regular',
          category,
        },
      };
    });
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: w.id,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: p.displayPhoneNumber, phone_number_id: p.id },
                statuses,
              },
            },
          ],
        },
      ],
    });
    return { body, events: n };
  };

  // Bodies are built and signed before the clock starts: the client shares this process, and its
  // work must not be billed to the server.
  const post = async (b: { body: string; sig: string; events: number }) => {
    const started = performance.now();
    const r = await pool.request({
      path: PATH,
      method: 'POST',
      body: b.body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': b.sig },
    });
    await r.body.dump();
    if (r.statusCode !== 200) throw new Error(`webhook answered ${r.statusCode}`);
    return performance.now() - started;
  };
  const prepare = (n: number) =>
    Array.from({ length: n }, () => {
      const b = batch();
      return { ...b, sig: sign(b.body, SECRET) };
    });

  // Phase 1, capacity: closed-loop clients as fast as the server acknowledges.
  let bodies = prepare(Math.ceil((seconds * 6_000) / 30));
  let events = 0;
  let next = 0;
  const saturated: number[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end && next < bodies.length) {
        const b = bodies[next++]!;
        saturated.push(await post(b));
        events += b.events;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;

  // Phase 2, latency at the target rate: an open loop that posts on schedule whatever the
  // answers do (as Meta does), so queueing shows up in the ack times instead of slowing the load.
  bodies = prepare(Math.ceil((seconds * rate) / 30) + 10);
  const times: number[] = [];
  const pending: Promise<void>[] = [];
  let sent = 0;
  const t1 = performance.now();
  for (const b of bodies) {
    const due = t1 + (sent / rate) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (performance.now() - t1 > seconds * 1000) break;
    sent += b.events;
    pending.push(post(b).then((ms) => void times.push(ms)));
  }
  await Promise.all(pending);
  const achieved = sent / ((performance.now() - t1) / 1000);
  await exposition.flush();
  await pool.close();
  server.closeAllConnections();
  await new Promise<void>((res) => server.close(() => res()));
  exposition.close();
  mod.close();
  rmSync(dir, { recursive: true, force: true });
  const pct = (xs: number[], p: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
  return {
    webhook_events_per_second: Math.round(events / elapsed),
    webhook_ack_p99_ms: round(pct(times, 0.99)),
    webhook_ack_median_ms: round(pct(times, 0.5)),
    webhook_offered_events_per_second: Math.round(achieved),
    webhook_ack_p99_saturated_ms: round(pct(saturated, 0.99)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '4' },
      rate: { type: 'string', default: '2000' },
    },
  });
  const r = await benchWebhooks({
    seconds: Number(values.seconds),
    concurrency: Number(values.concurrency),
    rate: Number(values.rate),
  });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
