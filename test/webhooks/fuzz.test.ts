import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/util/random.js';
import { parseWebhook } from '../../src/webhooks/parse.js';
import { fixture, rig, type Rig } from './helpers.js';

/** Seeded, so a failing case can be replayed from its seed. */
const prng = mulberry32;

const WEIRD_NUMBERS = [0, -1, 1e308, -1e308, 2 ** 53 + 1, 1.5, 131049, Number('9007199254740993'), 1e21];
const WEIRD_STRINGS = [
  '',
  ' ',
  'sent',
  'FAILED',
  'TIER_10K',
  'messages',
  'whatsapp_business_account',
  '\u0000',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'x'.repeat(5000),
  '<script>',
  '"}',
  '1780315200',
  'authentication-international',
  '__proto__',
  'constructor',
];
const KEYS = [
  'object',
  'entry',
  'changes',
  'field',
  'value',
  'statuses',
  'errors',
  'messages',
  'id',
  'status',
  'pricing',
  'category',
  'type',
  'billable',
  'code',
  'recipient_id',
  'timestamp',
  'metadata',
  'phone_number_id',
  'event',
  'display_phone_number',
  '__proto__',
  'time',
  'message_template_name',
  'max_daily_conversations_per_business',
];

function junk(rnd: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  const x = rnd();
  if (depth > 5 || x < 0.25)
    return pick<unknown>([null, true, false, pick(WEIRD_NUMBERS), pick(WEIRD_STRINGS), Math.floor(rnd() * 1e6)]);
  if (x < 0.5) return Array.from({ length: Math.floor(rnd() * 5) }, () => junk(rnd, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rnd() * 6); i > 0; i--) o[pick(KEYS)] = junk(rnd, depth + 1);
  return o;
}

/** Replaces one random node of a real envelope with junk: wrong types at every level. */
function mutate(doc: unknown, rnd: () => number): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as unknown;
  const nodes: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const [i, c] of v.entries()) {
        nodes.push({ parent: v, key: i });
        walk(c);
      }
    } else if (v && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) {
        nodes.push({ parent: v as Record<string, unknown>, key: k });
        walk(c);
      }
    }
  };
  walk(copy);
  for (let n = 1 + Math.floor(rnd() * 3); n > 0 && nodes.length > 0; n--) {
    const t = nodes[Math.floor(rnd() * nodes.length)]!;
    (t.parent as Record<string | number, unknown>)[t.key] = junk(rnd);
  }
  return copy;
}

const FIXTURES = readdirSync(new URL('../fixtures/webhooks/', import.meta.url)).map(
  (f) => JSON.parse(fixture(f.replace(/\.json$/, ''))) as unknown,
);

describe('parser: random JSON never throws', () => {
  it.each([1, 2, 3, 4, 5])('seed %i: 2,000 junk values and mutated envelopes', (seed) => {
    const rnd = prng(seed);
    for (let i = 0; i < 2000; i++) {
      const body = i % 2 === 0 ? junk(rnd) : mutate(FIXTURES[i % FIXTURES.length], rnd);
      const wrapped =
        i % 3 === 0
          ? { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: body }] }] }
          : body;
      expect(() => parseWebhook(wrapped)).not.toThrow();
    }
  });
});

describe('handler: random bodies never get a 5xx', () => {
  let r: Rig;
  beforeAll(async () => {
    r = await rig();
  });
  afterAll(async () => r.close());

  it('400 signed random JSON and mutated envelopes, seed 42', async () => {
    const rnd = prng(42);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 400; i++) {
      const doc = i % 2 === 0 ? junk(rnd) : mutate(FIXTURES[i % FIXTURES.length], rnd);
      let body = JSON.stringify(doc) ?? 'null';
      if (i % 25 === 0) body = body.slice(0, Math.floor(body.length / 2)); // truncated
      const res = await r.post(body);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `case ${i}`).toBeLessThan(500);
      expect([200, 400]).toContain(res.status);
    }
    expect(statuses.get(200)).toBeGreaterThan(0);
    // The exposition still renders and stays parseable.
    const m = await r.metrics();
    expect(m).toContain('whatsapp_webhook_requests_total 400');
    for (const line of m.split('\n'))
      if (line && !line.startsWith('#')) expect(line, line).toMatch(/^[a-z_0-9]+(\{.*\})? [-0-9.e+Inf]+$/);
  });
});
