import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { shardOf } from '../../src/shard/shard.js';
import { sign } from '../../src/webhooks/index.js';
import { freePort } from '../e2e/processes.js';
import {
  PROCESS_APP_SECRET,
  processConfigFile,
  sandboxEnv,
  startExporterProcess,
  type ExporterProcess,
} from '../helpers/exporter-process.js';
import { startFanoutNginx, type Nginx } from '../helpers/nginx.js';
import { sleep, waitFor } from '../helpers/wait.js';
import { statusWebhook } from '../helpers/webhook-bodies.js';
import { labelValues, sumOf } from '../shard/helpers.js';

/**
 * Meta's single webhook URL fanned out to three shard processes by the real nginx with the shipped
 * deploy/nginx/ files (njs). Signed events with redeliveries go through nginx; the shards' counters
 * must add up to the unique events exactly, and each portfolio's 24 h unique recipients must be
 * exact (one shard holds all of a portfolio's recipients). Then one shard is down during
 * deliveries: Meta must be told to retry (not 200), and once the shard is back and Meta has
 * retried, nothing is lost and nothing is counted twice.
 */
const N = 3;
let sb: Sandbox;
let shards: ExporterProcess[] = [];
const ports: number[] = [];
const dirs: string[] = [];
let nginx: Nginx;
let file: string;

interface Sent {
  readonly business: string;
  readonly recipient: string;
  readonly body: string;
}
const sent: Sent[] = [];
/** What the test saw, printed at the end (the closing note quotes it). */
const tally = {
  posts: 0,
  redeliveries: 0,
  answered502: 0,
  retries: 0,
  retryRounds: 0,
  retryAnswers: {} as Record<number, number>,
};

const startShard = (i: number) =>
  startExporterProcess({
    port: ports[i] as number,
    args: [`--config.file=${file}`, `--storage.path=${dirs[i]}`, `--shard=${i + 1}/${N}`],
    env: sandboxEnv(sb),
  });

async function ready(p: ExporterProcess): Promise<void> {
  await waitFor(
    async () => (await fetch(`${p.url}/-/ready`)).status === 200,
    30_000,
    () => `never ready:\n${p.output()}`,
  );
}

/** POSTs a signed body to nginx, as Meta does; returns the status. */
async function deliver(body: string): Promise<number> {
  tally.posts++;
  const res = await fetch(`${nginx.url}/webhooks/whatsapp`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, PROCESS_APP_SECRET) },
  });
  await res.text();
  return res.status;
}

/** Every WABA's first number, with its portfolio. */
function numbers(): Array<{ waba: string; phone: string; business: string }> {
  return sb.state.wabaIds().flatMap((waba) => {
    const entry = sb.state.waba(waba);
    const phone = entry && sb.state.phonesOf(entry)[0]?.wire.id;
    return entry && phone ? [{ waba, phone, business: entry.businessId }] : [];
  });
}

/** `perNumber` sent statuses per number; recipients from a small pool, so they repeat across WABAs. */
function events(tag: string, perNumber: number, pool: number): Sent[] {
  const now = Math.floor(Date.now() / 1000);
  return numbers().flatMap(({ waba, phone, business }, w) =>
    Array.from({ length: perNumber }, (_, k) => {
      const recipient = `49151000${String((w * 3 + k) % pool).padStart(4, '0')}`;
      return { business, recipient, body: statusWebhook(waba, phone, `wamid.${tag}-${waba}-${k}`, recipient, now) };
    }),
  );
}

async function scrapes(): Promise<string[]> {
  return Promise.all(shards.map(async (s) => (await fetch(`${s.url}/metrics`)).text()));
}

/** The figures under test, once two scrapes 400 ms apart agree (webhook renders are coalesced). */
async function settledFigures(): Promise<{ texts: string[]; key: string }> {
  const figures = (texts: string[]) =>
    JSON.stringify(
      texts.map((t) => [
        sumOf(t, 'whatsapp_message_statuses_total'),
        labelValues(t, 'whatsapp_unique_recipients_24h', 'business_id'),
        sumOf(t, 'whatsapp_unique_recipients_24h'),
      ]),
    );
  let last = '';
  for (let i = 0; i < 50; i++) {
    const texts = await scrapes();
    const key = figures(texts);
    if (key === last) return { texts, key };
    last = key;
    await sleep(400);
  }
  throw new Error('the shards never settled');
}

/** The sums over the shards against what was sent (unique events, distinct recipients per portfolio). */
async function expectExact(): Promise<void> {
  const { texts } = await settledFigures();
  const total = (fam: string, match = '') => texts.reduce((n, t) => n + sumOf(t, fam, match), 0);
  expect(total('whatsapp_message_statuses_total')).toBe(sent.length);
  expect(total('whatsapp_billable_messages_total')).toBe(sent.length);
  for (const business of sb.state.businessIds()) {
    const mine = sent.filter((s) => s.business === business);
    expect(total('whatsapp_message_statuses_total', `business_id="${business}"`), business).toBe(mine.length);
    // The window of a portfolio lives on one shard only (its owner) and is exact there.
    const holders = texts.filter((t) =>
      labelValues(t, 'whatsapp_unique_recipients_24h', 'business_id').includes(business),
    );
    expect(holders, business).toHaveLength(1);
    expect(sumOf(holders[0] as string, 'whatsapp_unique_recipients_24h', `business_id="${business}"`), business).toBe(
      new Set(mine.map((s) => s.recipient)).size,
    );
  }
}

beforeAll(async () => {
  sb = await startSandbox({ seed: 7, scenario: 'static', phoneNumbers: 24, wabas: 12, businesses: 4 });
  file = processConfigFile();
  for (let i = 0; i < N; i++) {
    ports.push(await freePort());
    dirs.push(mkdtempSync(join(tmpdir(), `wbe-fanout-${i + 1}-`)));
  }
  shards = await Promise.all([0, 1, 2].map(startShard));
  await Promise.all(shards.map(ready));
  nginx = await startFanoutNginx({
    port: await freePort(),
    env: { WHATSAPP_SHARDS: shards.map((s) => s.url).join(' ') },
  });
}, 120_000);
afterAll(async () => {
  await nginx?.stop();
  await Promise.all(shards.map((s) => s.stop()));
  await sb?.close();
  process.stderr.write(`nginx fan-out test: ${JSON.stringify({ events: sent.length, ...tally })}\n`);
});

describe('webhook fan-out through the real nginx (njs) to three shards', () => {
  it('the population spreads portfolios over the shards (else the test proves nothing)', () => {
    const owners = new Set(sb.state.businessIds().map((b) => shardOf(b, N)));
    expect(owners.size).toBeGreaterThanOrEqual(2);
    expect(owners.has(2)).toBe(true);
  });

  it('answers Meta’s verification handshake through one shard', async () => {
    const res = await fetch(
      `${nginx.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=42`,
    );
    // No verify token is configured in this test: every shard refuses, and nginx passes that on.
    expect(res.status).toBe(403);
  });

  it('a bad signature is refused by every shard and Meta hears 401, not 200', async () => {
    const body = events('badsig', 1, 5)[0]?.body ?? '';
    const res = await fetch(`${nginx.url}/webhooks/whatsapp`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, 'not-the-secret') },
    });
    expect(res.status).toBe(401);
  });

  it('signed events with redeliveries: counters summed over the shards = unique events; windows exact', async () => {
    const batch = events('one', 3, 7);
    for (const [i, e] of batch.entries()) {
      expect(await deliver(e.body)).toBe(200);
      sent.push(e);
      // Every third event is redelivered at once (Meta does, after a slow answer): counted once.
      if (i % 3 === 0) {
        expect(await deliver(e.body)).toBe(200);
        tally.redeliveries++;
      }
    }
    expect(tally.redeliveries).toBeGreaterThan(0);
    await expectExact();
  });

  it('one shard down during delivery: Meta is told to retry; after it is back nothing is lost or doubled', async () => {
    await shards[1]?.stop();
    const batch = events('two', 2, 11);
    const pending: Sent[] = [];
    for (const e of batch) {
      const status = await deliver(e.body);
      expect(status).toBe(502);
      tally.answered502++;
      pending.push(e);
      sent.push(e);
    }
    // Meta redelivers with backoff; the shard restarts on its own port and state DB, and the first
    // redeliveries arrive as soon as it listens (before it has listed its portfolios).
    shards[1] = await startShard(1);
    for (let round = 0; pending.length > 0 && round < 100; round++) {
      tally.retryRounds++;
      for (const e of [...pending]) {
        tally.retries++;
        const status = await deliver(e.body);
        // 502 while a shard is unreachable, 503 from the restarted shard until it has listed its portfolios.
        expect([200, 502, 503]).toContain(status);
        tally.retryAnswers[status] = (tally.retryAnswers[status] ?? 0) + 1;
        if (status === 200) pending.splice(pending.indexOf(e), 1);
      }
      if (pending.length > 0) await sleep(100);
    }
    expect(pending).toEqual([]);
    // And a late duplicate of everything, once more: still counted once.
    for (const e of batch) expect(await deliver(e.body)).toBe(200);
    tally.redeliveries += batch.length;
    await expectExact();
  });
});
