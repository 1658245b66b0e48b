// Fuzz (#19, item 9): seeded mutations of the webhook corpus (test/fixtures/webhooks) posted to the
// whole exporter over HTTP with its real state DB. Never a 5xx, never a crash; rejected POSTs (bad
// signature, broken bytes, not an object) change no state; the exposition stays bounded.
// Bounded in work (a fixed number of cases per seed), not in time; a failure names its seed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/util/random.js';
import { sign } from '../../src/webhooks/verify.js';
import { harness, type Harness } from '../helpers/harness.js';
import { mutate, pick, type Rnd } from './mutate.js';

const SECRET = 'fuzz-app-secret';
const SEEDS = [1, 2, 3];
const CASES = 150;
/** As in test/webhooks/label-bounds.test.ts: what any webhook input may add to the exposition. */
const MAX_NEW_SERIES = 1_000;
const dir = join(import.meta.dirname, '../fixtures/webhooks');
const CORPUS = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = () =>
  harness({
    sandbox: { phoneNumbers: 3, wabas: 2 },
    config: { webhooks: { app_secret: SECRET, max_body_size: '64kb' } },
  });

async function post(x: Harness, body: Buffer, signature: string | undefined) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-hub-signature-256'] = signature;
  const r = await request(`${x.exp.url}${x.exp.config().webhooks.path}`, { method: 'POST', body, headers });
  return { status: r.statusCode, text: await r.body.text() };
}

/** What webhooks change: counters, windows, last-received times (request and failure counts excluded). */
async function state(x: Harness): Promise<string> {
  await x.exp.exposition.flush();
  return (await x.scrape())
    .split('\n')
    .filter((l) =>
      /^whatsapp_(message_|billable_|estimated_cost|unique_|webhook_events|webhook_last_received|marketing_)/.test(l),
    )
    .join('\n');
}
const seriesCount = (t: string) => t.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

/** A POST the handler must refuse: unsigned, signed with another secret, signed then altered, too large. */
function rejected(rnd: Rnd, body: Buffer): { body: Buffer; signature?: string; expect: number[] } {
  switch (Math.floor(rnd() * 5)) {
    case 0:
      return { body, expect: [401] };
    case 1:
      return { body, signature: sign(body, 'not-the-secret'), expect: [401] };
    case 2: {
      const altered = Buffer.from(body);
      const at = Math.floor(rnd() * altered.length);
      altered[at] = (altered[at] ?? 0) ^ (1 + Math.floor(rnd() * 254));
      return { body: altered, signature: sign(body, SECRET), expect: [401] };
    }
    case 3:
      return { body, signature: pick(rnd, ['', 'sha256=', 'sha1=abc', `sha256=${'0'.repeat(64)}`]), expect: [401] };
    default: {
      const big = Buffer.alloc(70 * 1024, 0x20);
      return { body: big, signature: sign(big, SECRET), expect: [413] };
    }
  }
}

describe('fuzz: the webhook corpus, mutated (#19, item 9)', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${CASES} rejected and ${CASES} signed mutations`, async () => {
      const rnd = mulberry32(seed);
      h = await start();
      const baseline = await state(h);
      const baseSeries = seriesCount(await h.scrape());
      // Rejected input: refused with a 4xx, and nothing it carried is counted.
      for (let i = 0; i < CASES; i++) {
        const body = Buffer.from(JSON.stringify(mutate(rnd, pick(rnd, CORPUS))));
        const r = rejected(rnd, body);
        const res = await post(h, r.body, r.signature);
        expect(r.expect, `seed ${seed} rejected case ${i}: ${res.status} ${res.text}`).toContain(res.status);
      }
      expect(await state(h), `seed ${seed}: rejected POSTs changed state`).toBe(baseline);

      // Signed input, mutated: accepted (200) or refused as malformed (400); never a 5xx.
      for (let i = 0; i < CASES; i++) {
        const doc = mutate(rnd, pick(rnd, CORPUS));
        let body = Buffer.from(JSON.stringify(doc) ?? 'null');
        // Some bodies are broken bytes, signed as they are: a 400, and no state change.
        const broken = rnd() < 0.1;
        if (broken) body = body.subarray(0, Math.max(1, Math.floor(body.length / 2)));
        const before = broken ? await state(h) : undefined;
        const res = await post(h, body, sign(body, SECRET));
        expect([200, 400], `seed ${seed} signed case ${i}: ${res.status} ${res.text}`).toContain(res.status);
        if (res.status === 400 && before !== undefined) expect(await state(h), `seed ${seed} case ${i}`).toBe(before);
      }
      // The state observed above does move when input is accepted (the comparison can fail).
      expect(await state(h), `seed ${seed}: nothing accepted was counted`).not.toBe(baseline);
      const text = await h.scrape();
      expect(seriesCount(text) - baseSeries, `seed ${seed}: series`).toBeLessThanOrEqual(MAX_NEW_SERIES);
      const healthy = await request(`${h.exp.url}/-/healthy`);
      expect(healthy.statusCode).toBe(200);
      await healthy.body.text();
    });
  }
});
