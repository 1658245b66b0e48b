import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { harness, sample, type Harness } from '../helpers/harness.js';

const HEAD = 'id,date,type,amount,currency,category,balance';
const R = {
  topup: 'r1,2026-11-01T09:00:00Z,credit,500.00,USD,,500.00',
  mkt: 'r2,2026-11-01T23:59:00Z,debit,12.10,USD,marketing,487.90',
  utl: 'r3,2026-11-01T23:59:00Z,debit,0.30,USD,utility,487.60',
  mkt2: 'r4,2026-11-02T23:59:00Z,debit,20.20,USD,marketing,467.40',
  late: 'r5,2026-11-01T12:00:00Z,debit,1.00,USD,authentication,',
};
const csv = (...rows: string[]) => `${HEAD}\n${rows.join('\n')}\n`;

let h: Harness | undefined;
let up: FakeUpstream | undefined;
afterEach(async () => {
  await h?.close();
  await up?.close();
  h = up = undefined;
});

const account = (u: string) => ({
  billing: {
    accounts: [
      {
        name: 'ledger',
        provider: 'statement',
        currency: 'USD',
        interval: '1h',
        thresholds: { low: 100 },
        statement: { url: `${u}/statement.csv`, format: 'csv', interval: '1h' },
      },
    ],
  },
});

describe('credit statement', () => {
  it('counts each row once across overlapping polls, a late row once, and never decreases when upstream restarts', async () => {
    up = await new FakeUpstream().start();
    up.set('/statement.csv', { body: csv(R.topup, R.mkt, R.utl), contentType: 'text/csv' });
    const storageDir = mkdtempSync(join(tmpdir(), 'wbe-ledger-'));
    h = await harness({ config: account(up.url), storageDir });
    let t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_topups_total{account="ledger",currency="USD"}')).toBe(500);
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="marketing"}')).toBe(12.1);
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="utility"}')).toBe(0.3);
    // No wallet API: the balance is the newest row's running balance.
    expect(sample(t, 'whatsapp_credit_balance{account="ledger",currency="USD"}')).toBe(487.6);

    // Overlapping poll with one new row and one that arrives late (older date).
    up.set('/statement.csv', { body: csv(R.topup, R.mkt, R.utl, R.mkt2, R.late), contentType: 'text/csv' });
    await h.refresh();
    await h.refresh();
    t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="marketing"}')).toBe(32.3);
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="authentication"}')).toBe(
      1,
    );
    expect(sample(t, 'whatsapp_credit_balance{account="ledger",currency="USD"}')).toBe(467.4);
    expect(sample(t, 'whatsapp_credit_statement_last_entry_timestamp_seconds{account="ledger"}')).toBe(
      Date.UTC(2026, 10, 2, 23, 59) / 1000,
    );

    // The upstream "restarts" and serves only its newest row: counters hold.
    up.set('/statement.csv', { body: csv(R.mkt2), contentType: 'text/csv' });
    await h.refresh();
    t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="marketing"}')).toBe(32.3);
    expect(sample(t, 'whatsapp_credit_topups_total{account="ledger",currency="USD"}')).toBe(500);

    // The exporter restarts on the same storage: counters continue, nothing is recounted.
    await h.close();
    up.set('/statement.csv', { body: csv(R.topup, R.mkt, R.utl, R.mkt2, R.late), contentType: 'text/csv' });
    h = await harness({ config: account(up.url), storageDir });
    t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="marketing"}')).toBe(32.3);
    expect(sample(t, 'whatsapp_credit_topups_total{account="ledger",currency="USD"}')).toBe(500);
  });

  it('a broken statement changes nothing and marks the source down', async () => {
    up = await new FakeUpstream().start();
    up.set('/statement.csv', { body: csv(R.topup, R.mkt), contentType: 'text/csv' });
    h = await harness({ config: account(up.url) });
    up.set('/statement.csv', { body: `${HEAD}\nr9,yesterday-ish,debit,9,USD,marketing,\n`, contentType: 'text/csv' });
    await h.refresh();
    const t = await h.scrape();
    expect(sample(t, 'whatsapp_exporter_source_up{source="billing_statement",target="ledger"}')).toBe(0);
    expect(sample(t, 'whatsapp_credit_debits_total{account="ledger",currency="USD",category="marketing"}')).toBe(12.1);
    // A statement-only account is provider="statement", not "statement_statement" (#19).
    expect(sample(t, 'whatsapp_exporter_billing_request_failures_total{provider="statement",reason="parse"}')).toBe(1);
    expect(sample(t, 'whatsapp_exporter_billing_requests_total{provider="statement"}')).toBe(2);
    expect(t).not.toContain('statement_statement');
  });

  it('reads a JSON statement file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wbe-stmt-'));
    const file = join(dir, 'statement.json');
    writeFileSync(
      file,
      JSON.stringify([
        { id: 'a', date: '2026-11-03', type: 'credit', amount: '100', currency: 'EUR', balance: '100' },
        { id: 'b', date: '2026-11-03', amount: '-7.5', currency: 'EUR', category: 'utility', balance: '92.5' },
      ]),
    );
    h = await harness({
      config: { billing: { accounts: [{ name: 'file', provider: 'statement', statement: { file } }] } },
    });
    const t = await h.scrape();
    expect(sample(t, 'whatsapp_credit_debits_total{account="file",currency="EUR",category="utility"}')).toBe(7.5);
    expect(sample(t, 'whatsapp_credit_balance{account="file",currency="EUR"}')).toBe(92.5);
  });
});
