import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { SAMPLE_RATE_CARD } from '../../src/billing/rate-card.js';
import { ManualClock } from '../../src/util/clock.js';
import { request } from 'undici';
import { sign } from '../../src/webhooks/verify.js';
import { harness, type Harness } from '../helpers/harness.js';

const run = promisify(execFile);
const GOLDEN = join(import.meta.dirname, '../golden/sandbox-basic.prom');
const GOLDEN_ACTIVE = join(import.meta.dirname, '../golden/sandbox-basic-active.prom');

/**
 * Series whose values depend on time or the machine. They are kept out of the golden file
 * (their names and labels are still checked), everything else must match byte for byte. The
 * nodejs_version label is the Node that runs the suite (CI: docs/runtime.md), so it is a placeholder.
 */
const VOLATILE = /^whatsapp_exporter_(build_info|graph_api_usage_ratio|collector_duration_seconds)\{?/;

function normalise(text: string): string {
  return text
    .split('\n')
    .map((l) => (VOLATILE.test(l) ? l.replace(/ [^ ]+$/, ' <volatile>') : l))
    .map((l) => l.replace(/^(whatsapp_exporter_build_info\{.*nodejs_version=)"v[0-9.]+"/, '$1"<node>"'))
    .join('\n');
}

/**
 * The scenario: 3 numbers in 2 WABAs, the sandbox wallet with its statement after 11 minutes of
 * simulated traffic, the sandbox's Meta credit line, the sample rate card, Meta pricing, and every webhook fixture posted once with
 * a valid signature, all on a manual clock (set just after the fixtures' timestamps, so their
 * recipients are inside the 24 h window) so that every value is reproducible.
 */
const SECRET = 'golden-app-secret';
const FIXTURES = join(import.meta.dirname, '../fixtures/webhooks');

async function scenario(stateSets: 'full' | 'active'): Promise<{ h: Harness; text: string }> {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 13));
  const h = await harness({
    clock,
    sandbox: { phoneNumbers: 3, wabas: 2, businesses: 1, templatesPerWaba: 4, seed: 1 },
    config: {
      billing: {
        rate_card: { file: fileURLToPath(SAMPLE_RATE_CARD) },
        meta_pricing: { enabled: true, interval: '1h' },
        accounts: [
          {
            name: 'main',
            provider: 'http_json',
            url: 'http://placeholder.invalid/wallet/v1/balance',
            balance_path: 'balance',
            currency_path: 'currency',
            interval: '1h',
            thresholds: { low: 100, critical: 25 },
            business_ids: ['500000000000001'],
            waba_ids: ['100000000000002'],
            top_up_url: 'https://example.com/top-up',
            payment_link_url: 'https://example.com/pay',
            rate_card_url: 'https://example.com/rates',
            statement: { url: 'http://placeholder.invalid/wallet/v1/statement', format: 'json', interval: '1h' },
          },
          // A BSP's billing system listing one wallet per portfolio (bulk wallets).
          {
            name: 'bsp-wallets',
            provider: 'http_json',
            url: 'http://placeholder.invalid/wallet/v1/wallets',
            items_path: 'data.wallets',
            name_path: 'id',
            business_id_path: 'business_id',
            balance_path: 'balance',
            currency_path: 'currency',
            interval: '1h',
            thresholds: { low: 50 },
            payment_link_url: 'https://pay.example.com/{name}',
          },
          // The sandbox's first business owns a credit line (src/sandbox/credit-lines.ts).
          {
            name: 'bsp-credit-line',
            provider: 'meta_credit_line',
            business_id: '500000000000001',
            interval: '1h',
            thresholds: { low: 2000, critical: 500 },
            payment_link_url: 'https://example.com/pay-invoice',
          },
        ],
      },
      webhooks: { marketing_frequency_cap: { messages: 1, window: '7d' } },
      customers: [
        {
          name: 'acme',
          business_ids: ['500000000000001'],
          billing_accounts: ['main'],
          email: ['finance@acme.example'],
        },
      ],
      // full: everything the exporter can export (every state, per-number counts, every opt-in
      // family and every row of the subset families): the exposition as it was before the lean
      // defaults, plus the families added since; active: the default exposition, as shipped.
      metrics: stateSets === 'full' ? { state_sets: 'full', aggregate_by: 'phone_number', opt_in: ['.*'] } : {},
    },
    sandboxUrlPlaceholder: 'http://placeholder.invalid',
    env: { WHATSAPP_APP_SECRET: SECRET },
  });
  clock.advance(11 * 60_000);
  await h.refresh();
  for (const f of readdirSync(FIXTURES).sort()) {
    const body = readFileSync(join(FIXTURES, f));
    const res = await request(`${h.exp.url}/webhooks/whatsapp`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`${f}: HTTP ${res.statusCode}`);
  }
  await h.exp.exposition.flush();
  return { h, text: await h.scrape() };
}

/**
 * Both state-set modes: `full` is the exposition as it always was (sandbox-basic.prom, byte for
 * byte); `active` (the default) is the same with only the current state of each state set.
 */
describe.each([
  ['full', GOLDEN],
  ['active', GOLDEN_ACTIVE],
] as const)('golden /metrics for the basic sandbox scenario, state sets %s', (mode, golden) => {
  let h: Harness;
  let text: string;
  beforeAll(async () => {
    ({ h, text } = await scenario(mode));
  });
  afterAll(() => h.close());

  it(`matches ${golden.split('/').pop()} (regenerate on purpose with UPDATE_GOLDEN=1, then review the diff)`, () => {
    const got = normalise(text);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, got);
    expect(got).toBe(readFileSync(golden, 'utf8'));
  });

  it('passes promtool check metrics', async () => {
    const file = join(import.meta.dirname, `../../test-output/sandbox-basic-${mode}.prom`);
    await run('mkdir', ['-p', join(import.meta.dirname, '../../test-output')]);
    writeFileSync(file, text);
    const res = await run('sh', ['-c', `promtool check metrics < "${file}"; echo "exit=$?"`]);
    const out = `${res.stdout}${res.stderr}`;
    expect(out.trim().split('\n').pop()).toBe('exit=0');
    expect(out.replace(/exit=0\s*$/, '').trim()).toBe('');
  });

  it('gzip and plain bodies are the same exposition', async () => {
    const gz = await h.scrape({ gzip: true });
    expect(normalise(gz).replace(/^process_.*|^nodejs_.*/gm, '')).toBe(
      normalise(text).replace(/^process_.*|^nodejs_.*/gm, ''),
    );
  });

  it('both encodings announce their true Content-Length (plain text is inflated as it is sent)', async () => {
    for (const headers of [{}, { 'accept-encoding': 'gzip' }]) {
      const res = await request(`${h.exp.url}/metrics`, { headers });
      const body = Buffer.from(await res.body.arrayBuffer());
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['content-length'])).toBe(body.length);
      expect(res.headers['content-encoding']).toBe('accept-encoding' in headers ? 'gzip' : undefined);
    }
  });
});
