import { afterEach, describe, expect, it } from 'vitest';
import { MAX_CREDIT_LINE_ALLOCATIONS } from '../../src/config/defaults.js';
import { currencyAmount } from '../../src/sandbox/credit-lines.js';
import { billingFailures, creditLineHarness, lineAccount, lineSeries, BIZ, LINE } from '../helpers/credit-line.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'undici';
import { parse, stringify } from 'yaml';
import { family, harness, sample, TEST_TOKEN, type Harness } from '../helpers/harness.js';

/**
 * provider meta_credit_line against the sandbox's Graph API over real HTTP: what a line exports,
 * what one refresh costs, and what happens to the inputs Meta may send that are not one good line.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const kinds = (x: Harness) => x.sb.stats.byKind;

describe('Meta credit line contract (exporter ↔ sandbox over real HTTP)', () => {
  it('exports headroom as the balance, the limit, the allocated amount, the shares and the revoked flag', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ, { thresholds: { low: 2000, critical: 500 } })]);
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toEqual({
      balance: 8479.65,
      max: 10000,
      allocated: 3500,
      revoked: 0,
      shares: [
        `whatsapp_credit_line_allocation_info{account="bsp",business_id="510000000000001",allocation_id="140000000000001"} 1`,
        `whatsapp_credit_line_allocation_info{account="bsp",business_id="510000000000002",allocation_id="140000000000002"} 1`,
      ],
      up: 1,
    });
    // Every balance alert applies: thresholds and links join on (account, currency) as for a wallet.
    expect(sample(text, 'whatsapp_credit_balance_alert_threshold{account="bsp",currency="USD",level="low"}')).toBe(
      2000,
    );
    expect(family(text, 'whatsapp_billing_account_info')).toEqual([
      'whatsapp_billing_account_info{account="bsp",provider="meta_credit_line",currency="USD",top_up_url="",payment_link_url="",rate_card_url="",customer=""} 1',
    ]);
    expect(sample(text, 'whatsapp_exporter_billing_requests_total{provider="meta_credit_line"}')).toBe(1);
    // The headroom's movements feed the runway like a polled balance's.
    h.sb.state.updateCreditLine(LINE, { credit_available: currencyAmount(800_000, 'USD') });
    await h.refresh();
    expect(sample(await h.scrape(), 'whatsapp_credit_balance_decreases_total{account="bsp",currency="USD"}')).toBe(
      479.65,
    );
  });

  it('costs 2 sub-requests per line per refresh, batched with the Graph sources: no HTTP call of its own', async () => {
    h = await creditLineHarness(() => []);
    h.sb.stats.reset();
    await h.refresh();
    const without = { ...h.sb.stats.toJSON() };
    await h.close();
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    // First refresh (at start): the listing, then the shares of the line it found (one more HTTP call).
    expect(kinds(h).extendedcredits).toBe(1);
    expect(kinds(h).allocation_configs).toBe(1);
    h.sb.stats.reset();
    await h.refresh();
    // Then the listing and the known line's shares go in the same batch as everything else.
    expect(h.sb.stats.httpRequests).toBe(without.httpRequests);
    expect(h.sb.stats.subRequests).toBe(without.subRequests + 2);
    // Two batches: the Graph sources' one and debug_token's batch of one (#19, D4).
    expect(kinds(h)).toMatchObject({ extendedcredits: 1, allocation_configs: 1, batch: 2 });
    expect(kinds(h).credit_line).toBeUndefined();
  });

  it('N lines: 2N sub-requests per refresh, all in one batch (credit_line_id reads the node instead of the listing)', async () => {
    const N = 4;
    h = await creditLineHarness(
      ({ businessIds }) =>
        businessIds.map((b, i) => lineAccount(`line${i}`, b, i === 0 ? { credit_line_id: LINE } : {})),
      { sandbox: { businesses: N, wabas: N, phoneNumbers: N } },
    );
    // The first business owns the demo line; give each other business one line of its own.
    for (const b of h.sb.state.businessIds().slice(1)) h.sb.state.addCreditLine(b);
    await h.refresh();
    const text = await h.scrape();
    for (let i = 0; i < N; i++) expect(lineSeries(text, `line${i}`).up, `line${i}`).toBe(1);
    h.sb.stats.reset();
    await h.refresh();
    expect(kinds(h).batch).toBe(2); // and debug_token's batch of one
    expect(kinds(h).credit_line).toBe(1);
    expect(kinds(h).extendedcredits).toBe(N - 1);
    expect(kinds(h).allocation_configs).toBe(N);
    expect((kinds(h).credit_line ?? 0) + (kinds(h).extendedcredits ?? 0) + (kinds(h).allocation_configs ?? 0)).toBe(
      2 * N,
    );
  });

  it('several lines and no credit_line_id: a counted `ambiguous` failure naming the ids, no made-up balance', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ), lineAccount('pinned', BIZ, { credit_line_id: LINE })]);
    const second = h.sb.state.addCreditLine(BIZ);
    await h.refresh();
    const text = await h.scrape();
    // The ambiguous account keeps its last good reading (taken while there was one line) and is down.
    expect(lineSeries(text, 'bsp')).toMatchObject({ up: 0, balance: 8479.65 });
    expect(billingFailures(text, 'ambiguous')).toBe(1);
    expect(h.logs()).toContain(`has 2 credit lines (\\"${LINE}\\", \\"${second}\\"): set credit_line_id`);
    // The account that names its line is not affected.
    expect(lineSeries(text, 'pinned')).toMatchObject({ up: 1, balance: 8479.65 });
  });

  it('a business without a line: `not_found` from the first refresh on, and no series at all (never a zero)', async () => {
    h = await creditLineHarness(({ businessIds }) => [lineAccount('nolines', businessIds[1] as string)], {
      sandbox: { businesses: 2, wabas: 2 },
    });
    const text = await h.scrape();
    expect(lineSeries(text, 'nolines')).toEqual({
      balance: undefined,
      max: undefined,
      allocated: undefined,
      revoked: undefined,
      shares: [],
      up: 0,
    });
    expect(billingFailures(text, 'not_found')).toBe(1);
    expect(family(text, 'whatsapp_billing_account_info')).toEqual([]);
  });

  it('a revoked line: access_revoked 1 (the alert), headroom still exported; back to 0 when restored', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    h.sb.state.updateCreditLine(LINE, { is_access_revoked: true });
    await h.refresh();
    expect(lineSeries(await h.scrape(), 'bsp')).toMatchObject({ revoked: 1, balance: 8479.65, up: 1 });
    h.sb.state.updateCreditLine(LINE, { is_access_revoked: false });
    await h.refresh();
    expect(lineSeries(await h.scrape(), 'bsp').revoked).toBe(0);
  });

  it('more shares than the bound: the 200 lowest ids, the cut counted and logged, paging stops early', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    h.sb.state.addAllocations(LINE, 348);
    h.sb.stats.reset();
    await h.refresh();
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp').shares).toHaveLength(MAX_CREDIT_LINE_ALLOCATIONS);
    expect(lineSeries(text, 'bsp').shares[0]).toContain('allocation_id="140000000000001"');
    expect(sample(text, 'whatsapp_exporter_limit_hits_total{limit="credit_line_allocations"}')).toBeGreaterThan(0);
    expect(h.logs()).toContain('"limit":"credit_line_allocations"');
    // 350 shares, 100 a page: 3 pages read (more than 200 seen), the fourth never asked for.
    expect(kinds(h).allocation_configs).toBe(3);
  });

  it('unusable optional fields are left out and counted; an unusable headroom fails the refresh and keeps the last good one', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ)]);
    h.sb.state.updateCreditLine(LINE, { max_balance: 'unlimited', is_access_revoked: 'maybe' });
    const [share] = h.sb.state.addAllocations(LINE, 1);
    h.sb.state.updateAllocation(share as string, { receiving_business: { name: 'no id' } });
    await h.refresh();
    let text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ up: 1, balance: 8479.65, max: undefined, revoked: undefined });
    expect(lineSeries(text, 'bsp').shares).toHaveLength(2);
    expect(billingFailures(text, 'parse')).toBe(3);
    expect(h.logs()).toContain('credit line: unusable fields left out');

    h.sb.state.updateCreditLine(LINE, { credit_available: { amount: 'n/a', currency: 'USD' } });
    await h.refresh();
    text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ up: 0, balance: 8479.65 });
    expect(billingFailures(text, 'parse')).toBe(4);
    h.sb.state.updateCreditLine(LINE, { credit_available: undefined });
    await h.refresh();
    expect(billingFailures(await h.scrape(), 'missing_field')).toBe(1);
  });

  it('a permission error (no Financial Editor role) is `auth` for billing and `permission` for Graph; never logs the token', async () => {
    h = await creditLineHarness(() => [lineAccount('bsp', BIZ, { credit_line_id: LINE })]);
    h.sb.faults.add({ kind: 'permission', match: `${LINE}?` });
    await h.refresh();
    const text = await h.scrape();
    expect(lineSeries(text, 'bsp')).toMatchObject({ up: 0, balance: 8479.65 });
    expect(billingFailures(text, 'auth')).toBe(1);
    expect(
      sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="credit_line",reason="permission"}'),
    ).toBe(1);
    expect(h.logs()).not.toContain(TEST_TOKEN);
    expect(text).not.toContain(TEST_TOKEN);
  });

  it('an account that changes provider on reload (wallet ↔ credit line, same name) is polled by the new one', async () => {
    h = await harness({
      sandboxUrlPlaceholder: 'http://placeholder.invalid',
      config: {
        billing: {
          meta_pricing: { enabled: false },
          accounts: [
            {
              name: 'acct',
              provider: 'http_json',
              url: 'http://placeholder.invalid/wallet/v1/balance',
              balance_path: 'balance',
              currency_path: 'currency',
              interval: '1h',
            },
          ],
        },
      },
    });
    expect(lineSeries(await h.scrape(), 'acct').up).toBe(1);
    const doc = parse(readFileSync(h.file, 'utf8')) as { billing: { accounts: unknown[] } };
    doc.billing.accounts = [lineAccount('acct', BIZ)];
    writeFileSync(h.file, stringify(doc));
    const res = await request(`${h.exp.url}/-/reload`, { method: 'POST' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await h.refresh();
    const text = await h.scrape();
    expect(lineSeries(text, 'acct')).toMatchObject({ up: 1, balance: 8479.65, max: 10000 });
    expect(family(text, 'whatsapp_billing_account_info')[0]).toContain('provider="meta_credit_line"');
  });
});
