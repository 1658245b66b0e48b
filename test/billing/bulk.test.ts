// Bulk wallets: one endpoint (a BSP's own billing system) listing many wallets, read with one
// request per interval. The parser is pure and table-tested; over HTTP each wallet is an account on
// /metrics (balance, shared thresholds, templated links, its portfolio and customer), on the page
// and in the JSON API; a bad answer keeps the last good wallets and counts the failure.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkAccounts, bulkWallets, parseBulk } from '../../src/billing/bulk.js';
import type { BillingAccount } from '../../src/billing/account.js';
import { BillingError } from '../../src/billing/errors.js';
import type { HttpBalanceSettings } from '../../src/billing/settings.js';
import { family, harness, sample, type Harness } from '../helpers/harness.js';

const S: HttpBalanceSettings = {
  url: 'http://x.invalid',
  method: 'GET',
  headers: {},
  balancePath: 'balance',
  currencyPath: 'currency',
  timeoutMs: 1_000,
  bulk: { itemsPath: 'data.wallets', namePath: 'id', businessIdPath: 'business', maxItems: 5 },
};
const body = (wallets: unknown) => JSON.stringify({ data: { wallets } });
const none = new Set<string>();

describe('parseBulk', () => {
  it('reads each wallet: name, balance, currency, portfolio', () => {
    const r = parseBulk(
      'http_json',
      body([
        { id: 'acme', balance: '12.50', currency: 'usd', business: '500000000000001' },
        { id: 'globex', balance: 3, currency: 'EUR', business: 42 },
      ]),
      S,
      undefined,
      none,
    );
    expect(r.items).toEqual([
      { account: 'acme', reading: { micros: 12_500_000n, currency: 'USD' }, businessId: '500000000000001' },
      { account: 'globex', reading: { micros: 3_000_000n, currency: 'EUR' }, businessId: '42' },
    ]);
    expect(r.skipped).toEqual({ invalid: 0, duplicate: 0 });
  });

  it('skips and counts a wallet without a valid name or balance, a repeated name, a name already configured', () => {
    const r = parseBulk(
      'http_json',
      body([
        { id: 'ok', balance: 1, currency: 'USD' },
        { balance: 1, currency: 'USD' },
        { id: '9starts-with-a-digit', balance: 1, currency: 'USD' },
        { id: 'x'.repeat(65), balance: 1, currency: 'USD' },
        { id: 'no-balance', currency: 'USD' },
        { id: 'text', balance: 'lots', currency: 'USD' },
        { id: 'ok', balance: 2, currency: 'USD' },
        { id: 'main', balance: 1, currency: 'USD' },
      ]),
      { ...S, bulk: { ...(S.bulk as NonNullable<HttpBalanceSettings['bulk']>), maxItems: 10 } },
      undefined,
      new Set(['main']),
    );
    expect(r.items.map((i) => i.account)).toEqual(['ok']);
    expect(r.items[0]?.reading.micros).toBe(1_000_000n);
    expect(r.skipped).toEqual({ invalid: 5, duplicate: 2 });
    expect(r.duplicates).toEqual(['ok', 'main']);
    expect(r.invalid).toHaveLength(5);
    expect(r.invalid.join('\n')).toContain('text: balance at balance is not a number');
  });

  it.each([
    ['not JSON', '<html>', 'parse'],
    ['items not a list', JSON.stringify({ data: { wallets: { acme: 1 } } }), 'parse'],
    ['no items at the path', JSON.stringify({ data: {} }), 'missing_field'],
    [
      'more than max_items',
      body(Array.from({ length: 6 }, (_, i) => ({ id: `w${i}`, balance: 1, currency: 'USD' }))),
      'too_many_items',
    ],
  ])('fails the whole answer with a reason: %s', (_name, text, reason) => {
    let err: unknown;
    try {
      parseBulk('http_json', text, S, undefined, none);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BillingError);
    expect((err as BillingError).reason).toBe(reason);
  });
});

describe('bulkWallets', () => {
  const account = (name: string, bulk: boolean): BillingAccount =>
    ({
      name,
      provider: 'http_json',
      intervalMs: 1,
      maxStalenessMs: 1,
      thresholds: {},
      links: { topUp: '', payment: '', rateCard: '' },
      businessIds: [],
      wabaIds: [],
      ...(bulk ? { http: { ...S } } : {}),
    }) as BillingAccount;
  const item = (name: string) => ({ account: name, reading: { micros: 1n, currency: 'USD' } });

  it("a wallet listed by two entries (or named like a configured account) is the first one's; later repeats are counted", () => {
    const accounts = [account('main', false), account('eu', true), account('us', true)];
    const out = bulkWallets(accounts, [
      {
        data: {
          group: 'us',
          items: [item('shared'), item('us-1'), item('main')],
          skipped: { invalid: 0, duplicate: 0 },
        },
      },
      { data: { group: 'eu', items: [item('shared'), item('eu-1')], skipped: { invalid: 1, duplicate: 0 } } },
    ]);
    // Config order, not answer order: eu is before us.
    expect(out.map((w) => [w.group.name, w.items.map((i) => i.account), w.skipped])).toEqual([
      ['eu', ['shared', 'eu-1'], { invalid: 1, duplicate: 0 }],
      ['us', ['us-1'], { invalid: 0, duplicate: 2 }],
    ]);
  });
});

describe('bulkAccounts links (#19, D11)', () => {
  const group = (topUp: string) =>
    ({
      name: 'bsp',
      provider: 'http_json',
      intervalMs: 1,
      maxStalenessMs: 1,
      thresholds: {},
      links: { topUp, payment: '', rateCard: '' },
      businessIds: [],
      wabaIds: [],
    }) as BillingAccount;
  const item = { account: 'acme.1', reading: { micros: 1n, currency: 'USD' } };

  it('a templated link is the template with the URL-encoded wallet name', () => {
    expect(bulkAccounts(group('https://pay.example.com/{name}?x=1'), [item])[0]?.links.topUp).toBe(
      'https://pay.example.com/acme.1?x=1',
    );
  });

  it('a link that is not an http(s) URL without credentials is left out, whatever built it', () => {
    for (const t of ['javascript:{name}', 'data:text/html,{name}', 'https://u:p@x.example/{name}', '{name}'])
      expect(bulkAccounts(group(t), [item])[0]?.links.topUp, t).toBe('');
  });
});

describe('bulk wallets over HTTP', () => {
  let h: Harness | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    server?.closeAllConnections();
    server?.close();
    server = undefined;
  });

  it('one request lists every wallet: each is an account on /metrics, the page and the API; a bad answer keeps them', async () => {
    let answer = body([
      { id: 'acme', balance: '40.00', currency: 'USD', business: '500000000000001' },
      { id: 'globex', balance: '900.00', currency: 'USD' },
      { id: 'globex', balance: '1.00', currency: 'USD' },
    ]);
    let requests = 0;
    server = createServer((_req, res) => {
      requests++;
      res.setHeader('content-type', 'application/json');
      res.end(answer);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wallets`;
    h = await harness({
      config: {
        billing: {
          meta_pricing: { enabled: false },
          accounts: [
            {
              name: 'bsp-wallets',
              provider: 'http_json',
              url,
              items_path: 'data.wallets',
              name_path: 'id',
              business_id_path: 'business',
              balance_path: 'balance',
              currency_path: 'currency',
              interval: '1h',
              thresholds: { low: 100 },
              payment_link_url: 'https://pay.example.com/{name}',
            },
          ],
        },
        customers: [{ name: 'acme', business_ids: ['500000000000001'], email: ['finance@acme.example'] }],
      },
    });
    expect(requests).toBe(1);
    let t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_balance{account="acme",currency="USD"}')).toBe(40);
    expect(sample(t, 'whatsapp_credit_balance{account="globex",currency="USD"}')).toBe(900);
    expect(sample(t, 'whatsapp_credit_balance_alert_threshold{account="acme",currency="USD",level="low"}')).toBe(100);
    expect(family(t, 'whatsapp_billing_account_info')).toContain(
      'whatsapp_billing_account_info{account="acme",provider="http_json",currency="USD",top_up_url="",payment_link_url="https://pay.example.com/acme",rate_card_url="",customer="acme"} 1',
    );
    expect(
      sample(t, 'whatsapp_billing_account_business_info{account="acme",currency="USD",business_id="500000000000001"}'),
    ).toBe(1);
    expect(sample(t, 'whatsapp_billing_bulk_items{account="bsp-wallets",state="ok"}')).toBe(2);
    expect(sample(t, 'whatsapp_billing_bulk_items{account="bsp-wallets",state="duplicate"}')).toBe(1);
    // The entry itself is not an account.
    expect(t).not.toContain('whatsapp_credit_balance{account="bsp-wallets"');
    expect(h.logs()).toContain('bulk wallets skipped');

    const api = (await (await request(`${h.exp.url}/api/v1/accounts`)).body.json()) as {
      items: Array<{ name: string; balance: { amount: number }; level: string; links: { payment: string } }>;
    };
    expect(api.items.map((a) => [a.name, a.balance.amount, a.level])).toEqual([
      ['acme', 40, 'low'],
      ['globex', 900, 'ok'],
    ]);
    const page = await (await request(`${h.exp.url}/accounts/acme`)).body.text();
    expect(page).toContain('https://pay.example.com/acme');

    // An answer that is not a list: the refresh fails with a reason, the wallets stay served.
    answer = JSON.stringify({ data: { wallets: 'maintenance' } });
    await h.refresh();
    expect(requests).toBe(2);
    t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_balance{account="acme",currency="USD"}')).toBe(40);
    expect(sample(t, 'whatsapp_exporter_billing_request_failures_total{provider="http_json",reason="parse"}')).toBe(1);
    expect(sample(t, 'whatsapp_exporter_source_up{source="billing_bulk",target="bsp-wallets"}')).toBe(0);
  });
});
