import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/webhooks/verify.js';
import { BIZ, PATH, PHONE, WABA } from './helpers.js';

const SECRET = 'sigkill-secret';
const CHILD = fileURLToPath(new URL('./child-exporter.ts', import.meta.url));
const POOL = Array.from({ length: 15 }, (_, i) => `9198765${String(43210 + i)}`);
const PER_POST = 10;
let children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children = [];
});

async function start(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, WBE_DIR: dir, WBE_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const rl = createInterface({ input: child.stdout! });
  for await (const line of rl) {
    const url = (JSON.parse(line) as { url?: string }).url;
    if (url) return { child, url };
  }
  throw new Error('child exited before listening');
}

/** A Meta-shaped POST of PER_POST `sent` marketing statuses; recipients cycle through POOL. */
function payload(n: number): string {
  const now = String(Math.floor(Date.now() / 1000));
  const statuses = Array.from({ length: PER_POST }, (_, j) => ({
    id: `wamid.KILL${n}x${j}`,
    status: 'sent',
    timestamp: now,
    recipient_id: POOL[(n * PER_POST + j) % POOL.length],
    pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
  }));
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: WABA,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE },
              statuses,
            },
          },
        ],
      },
    ],
  });
}

async function post(url: string, body: string): Promise<number> {
  const r = await request(`${url}${PATH}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
  });
  await r.body.dump();
  return r.statusCode;
}

async function counts(url: string): Promise<{ statuses: number; unique: number }> {
  const text = await (await request(`${url}/metrics`)).body.text();
  const get = (series: string) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(`${series} `))
        ?.split(' ')[1] ?? 0,
    );
  return {
    statuses: get(
      `whatsapp_message_statuses_total{business_id="${BIZ}",waba_id="${WABA}",phone_number_id="${PHONE}",status="sent",pricing_category="marketing"}`,
    ),
    unique: get(`whatsapp_unique_recipients_24h{business_id="${BIZ}"}`),
  };
}

describe('durability', () => {
  it('after SIGKILL mid-burst every acknowledged event is counted, nothing twice', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-sigkill-'));
    let { child, url } = await start(dir);
    const bodies = Array.from({ length: 400 }, (_, i) => payload(i));

    // Phase 1: every recipient of the pool is seen.
    for (let i = 0; i < 20; i++) expect(await post(url, bodies[i]!)).toBe(200);
    const before = await counts(url);
    expect(before).toEqual({ statuses: 20 * PER_POST, unique: POOL.length });

    // Phase 2: 4 concurrent senders; SIGKILL once 100 more POSTs were acknowledged.
    const acked = new Set<number>(Array.from({ length: 20 }, (_, i) => i));
    let next = 20;
    let inFlightAtKill = 0;
    let inFlight = 0;
    const sender = async () => {
      while (next < bodies.length) {
        const i = next++;
        inFlight++;
        const status = await post(url, bodies[i]!).catch(() => 0);
        inFlight--;
        if (status === 200) acked.add(i);
        if (acked.size >= 120 && child.signalCode === null && child.exitCode === null) {
          inFlightAtKill = inFlight;
          child.kill('SIGKILL');
        }
        if (status === 0) return;
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r),
    );
    expect(child.signalCode).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(120);
    expect(acked.size).toBeLessThan(bodies.length);

    ({ child, url } = await start(dir));
    const after = await counts(url);
    // Every 200 is counted; a POST killed between commit and answer may be counted without its 200.
    expect(after.statuses).toBeGreaterThanOrEqual(acked.size * PER_POST);
    expect(after.statuses).toBeLessThanOrEqual((acked.size + inFlightAtKill + 4) * PER_POST);
    expect(after.statuses % PER_POST).toBe(0); // a POST is all or nothing
    expect(after.unique).toBe(before.unique);

    // Meta redelivers what was not acknowledged, and everything once more: each event counts exactly once.
    for (let i = 0; i < bodies.length; i++) if (!acked.has(i)) expect(await post(url, bodies[i]!)).toBe(200);
    for (let i = 0; i < bodies.length; i += 7) expect(await post(url, bodies[i]!)).toBe(200);
    expect(await counts(url)).toEqual({ statuses: bodies.length * PER_POST, unique: POOL.length });
  });
});
