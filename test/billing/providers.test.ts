import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_NAMES, PROVIDERS as TABLE } from '../../src/billing/providers/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { family, harness, sample, type Harness } from '../helpers/harness.js';

const SECRET = 'sk_live_provider_secret_42';
const SID = 'AC0123456789abcdef0123456789abcdef';
/** The public half of a key pair (Vonage's api_key); the secret half is SECRET. */
const KEY_ID = 'abcd1234';

/**
 * The shared billing contract: every provider, against a local server speaking its documented
 * shape, must turn a good answer into a balance, and every bad answer into a failed refresh
 * with a reason, keeping the last good balance until it is stale and never throwing.
 */
const PROVIDERS = [
  {
    provider: 'http_json',
    path: '/custom/balance',
    cfg: (u: string) => ({
      url: `${u}/custom/balance`,
      balance_path: 'data.balance',
      currency_path: 'data.currency',
      headers: { 'x-api-key': SECRET },
    }),
    good: { data: { balance: '8323.87', currency: 'USD' } },
    value: 8323.87,
    currency: 'USD',
    auth: ['x-api-key', SECRET],
  },
  {
    provider: 'twilio',
    path: `/2010-04-01/Accounts/${SID}/Balance.json`,
    cfg: (u: string) => ({ base_url: u, account_sid: SID, api_key: SECRET }),
    good: { account_sid: SID, balance: '12.29', currency: 'USD' },
    value: 12.29,
    currency: 'USD',
    auth: ['authorization', `Basic ${Buffer.from(`${SID}:${SECRET}`).toString('base64')}`],
  },
  {
    provider: 'gupshup_partner',
    path: '/partner/app/app-7/wallet/balance',
    cfg: (u: string) => ({ base_url: u, app_id: 'app-7', api_key: SECRET }),
    good: { status: 'success', walletResponse: { currency: 'USD', currentBalance: 150.5, overDraftLimit: 0 } },
    value: 150.5,
    currency: 'USD',
    auth: ['authorization', SECRET],
  },
  {
    provider: 'telnyx',
    path: '/v2/balance',
    cfg: (u: string) => ({ base_url: u, api_key: SECRET }),
    good: { data: { record_type: 'balance', balance: '300.00', pending: '10.00', currency: 'USD' } },
    value: 300,
    currency: 'USD',
    auth: ['authorization', `Bearer ${SECRET}`],
  },
  {
    provider: 'ycloud',
    path: '/v2/balance',
    cfg: (u: string) => ({ base_url: u, api_key: SECRET }),
    good: { amount: 190.0765, currency: 'USD' },
    value: 190.0765,
    currency: 'USD',
    auth: ['x-api-key', SECRET],
  },
  {
    provider: 'infobip',
    path: '/account/1/balance',
    cfg: (u: string) => ({ base_url: u, api_key: SECRET }),
    good: { balance: 47.79, currency: 'EUR' },
    value: 47.79,
    currency: 'EUR',
    auth: ['authorization', `App ${SECRET}`],
  },
  {
    provider: 'vonage',
    path: '/account/get-balance',
    cfg: (u: string) => ({ base_url: u, api_key: KEY_ID, api_secret: SECRET }),
    good: { value: 10.28, autoReload: false },
    value: 10.28,
    // The answer names no currency: the provider's default.
    currency: 'EUR',
    auth: ['authorization', `Basic ${Buffer.from(`${KEY_ID}:${SECRET}`).toString('base64')}`],
  },
  {
    provider: 'messagebird',
    path: '/balance',
    cfg: (u: string) => ({ base_url: u, api_key: SECRET }),
    good: { payment: 'prepaid', type: 'euros', amount: 103 },
    value: 103,
    currency: 'EUR',
    auth: ['authorization', `AccessKey ${SECRET}`],
    bad: [
      {
        name: '200 with an errors list',
        canned: { body: { errors: [{ code: 2, description: 'Request not allowed', parameter: 'access_key' }] } },
        reason: 'upstream_error',
      },
      {
        name: 'postpaid (amount 0 is not a balance)',
        canned: { body: { payment: 'postpaid', type: 'euros', amount: 0 } },
        reason: 'upstream_error',
      },
      {
        name: 'credits are not money',
        canned: { body: { payment: 'prepaid', type: 'credits', amount: 250 } },
        reason: 'parse',
      },
    ],
  },
  {
    provider: 'dialog360_partner',
    path: '/api/v2/partners/abc123PA/balance',
    cfg: (u: string) => ({ base_url: u, partner_id: 'abc123PA', api_key: SECRET }),
    good: [{ total: 100.45, currency: 'eur' }],
    value: 100.45,
    currency: 'EUR',
    auth: ['x-api-key', SECRET],
    bad: [
      {
        name: 'balances in two currencies and no currency configured',
        canned: {
          body: [
            { total: 100.45, currency: 'eur' },
            { total: 12, currency: 'usd' },
          ],
        },
        reason: 'missing_field',
      },
    ],
  },
  {
    provider: 'plivo',
    path: '/v1/Account/MA0000000000000000XX/',
    cfg: (u: string) => ({ base_url: u, auth_id: 'MA0000000000000000XX', api_key: SECRET }),
    good: {
      account_type: 'standard',
      auth_id: 'MA0000000000000000XX',
      billing_mode: 'prepaid',
      cash_credits: '1.80900',
    },
    value: 1.809,
    // The answer names no currency: "credits of the account in USD".
    currency: 'USD',
    auth: ['authorization', `Basic ${Buffer.from(`MA0000000000000000XX:${SECRET}`).toString('base64')}`],
    bad: [
      {
        name: 'postpaid',
        canned: { body: { billing_mode: 'postpaid', cash_credits: '0.00000' } },
        reason: 'upstream_error',
      },
    ],
  },
] as const;

const BAD = [
  { name: '5xx', canned: { status: 503, body: { error: 'maintenance' } }, reason: 'http_5xx' },
  { name: 'timeout', canned: { body: {}, delayMs: 800 }, reason: 'timeout' },
  { name: 'connection reset', canned: { body: {}, reset: true }, reason: 'connect' },
  {
    name: 'HTML body',
    canned: { status: 200, body: '<html><body>Login</body></html>', contentType: 'text/html' },
    reason: 'parse',
  },
  { name: 'wrong JSON shape', canned: { body: [1, 2, 3] }, reason: 'missing_field' },
  {
    name: 'missing balance field',
    canned: { body: { currency: 'USD', note: 'no balance here' } },
    reason: 'missing_field',
  },
  {
    name: 'non-numeric balance',
    canned: {
      body: {
        data: { balance: 'N/A', currency: 'USD' },
        balance: 'N/A',
        amount: 'N/A',
        value: 'N/A',
        total: 'N/A',
        cash_credits: 'N/A',
        billing_mode: 'prepaid',
        payment: 'prepaid',
        walletResponse: { currentBalance: 'N/A', currency: 'USD' },
        currency: 'USD',
      },
    },
    reason: 'parse',
  },
  { name: '401', canned: { status: 401, body: { code: 20003, message: 'Authenticate' } }, reason: 'auth' },
] as const;

describe('billing provider contract suite', () => {
  it('covers every provider with a balance API in src/billing/providers', () => {
    const withBalance = PROVIDER_NAMES.filter((n) => TABLE[n].polls === 'balance');
    expect(PROVIDERS.map((p) => p.provider)).toEqual(withBalance);
  });
});

for (const p of PROVIDERS) {
  describe(`billing provider ${p.provider}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 12));
    let up: FakeUpstream;
    let h: Harness;
    beforeAll(async () => {
      up = await new FakeUpstream().start();
      up.set(p.path, { body: p.good });
      h = await harness({
        clock,
        config: {
          billing: {
            accounts: [
              {
                name: 'main',
                provider: p.provider,
                timeout: '300ms',
                interval: '1h',
                max_staleness: '2h',
                thresholds: { low: 100 },
                ...p.cfg(up.url),
              },
            ],
          },
        },
      });
    });
    afterAll(async () => {
      await h.close();
      await up.close();
    });
    const balance = (t: string) => sample(t, `whatsapp_credit_balance{account="main",currency="${p.currency}"}`);
    const billingUp = (t: string) => sample(t, 'whatsapp_exporter_source_up{source="billing",target="main"}');

    it('good answer → balance, with the documented auth header', async () => {
      const text = await h.scrape();
      expect(balance(text)).toBe(p.value);
      expect(billingUp(text)).toBe(1);
      expect(
        sample(text, `whatsapp_credit_balance_alert_threshold{account="main",currency="${p.currency}",level="low"}`),
      ).toBe(100);
      expect(up.seen.at(-1)?.headers[p.auth[0]]).toBe(p.auth[1]);
    });

    // The shared faults, then the provider's own (an error body with HTTP 200, a postpaid account).
    for (const bad of [...BAD, ...('bad' in p ? p.bad : [])]) {
      it(`${bad.name} → source down (${bad.reason}), last good balance kept, nothing thrown`, async () => {
        up.set(p.path, bad.canned);
        await h.refresh();
        const text = await h.scrape();
        expect(billingUp(text)).toBe(0);
        expect(balance(text)).toBe(p.value);
        expect(
          sample(
            text,
            `whatsapp_exporter_billing_request_failures_total{provider="${p.provider}",reason="${bad.reason}"}`,
          ),
        ).toBeGreaterThanOrEqual(1);
      });
    }

    it('stale after max_staleness: the balance is dropped, not frozen; recovery brings it back', async () => {
      clock.advance(2 * 3_600_000 + 1);
      h.exp.exposition.invalidate('billing');
      await h.exp.exposition.flush();
      let text = await h.scrape();
      expect(balance(text)).toBeUndefined();
      expect(family(text, 'whatsapp_exporter_source_up').some((l) => l.includes('source="billing"'))).toBe(true);
      up.set(p.path, { body: p.good });
      await h.refresh();
      text = await h.scrape();
      expect(balance(text)).toBe(p.value);
      expect(billingUp(text)).toBe(1);
    });

    it('never logs or exports the provider secret', async () => {
      expect(h.logs()).toContain(`"provider":"${p.provider}"`);
      expect(h.logs()).not.toContain(SECRET);
      expect(await h.scrape()).not.toContain(SECRET);
    });
  });
}
