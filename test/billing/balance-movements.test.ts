// The balance's own movements (the runway's `balance` basis, docs/billing.md "Runway"): every fall
// between two readings is spend, every rise is a top-up, a failed poll moves nothing, and the totals
// survive a restart (real SQLite file, real sandbox wallet over HTTP, manual clock).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/state/ledger.js';
import { ManualClock } from '../../src/util/clock.js';
import { harness, sample, type Harness } from '../helpers/harness.js';

const M = 1_000_000n;
const usd = (n: number) => ({ micros: BigInt(Math.round(n * 1e6)), currency: 'USD' });

describe('Ledger.trackBalance', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'wbe-ledger-'));
    dirs.push(d);
    return d;
  };

  it('adds falls and rises apart, moves its clock only when the balance moves, restarts on a currency change, survives reopening', () => {
    const dir = tmp();
    let l = new Ledger(dir);
    expect(l.trackBalance('w', usd(100), 1_000)).toEqual({
      currency: 'USD',
      decreasesMicros: 0n,
      increasesMicros: 0n,
      at: 1_000,
    });
    // The same balance again: nothing spent, and the clock stays at the last move (a provider that
    // updates once a day gives a day's fall over a day, not over the minutes since the last poll).
    expect(l.trackBalance('w', usd(100), 1_500)).toMatchObject({ decreasesMicros: 0n, at: 1_000 });
    l.trackBalance('w', usd(90), 2_000); // spent 10
    l.trackBalance('w', usd(1_085), 3_000); // topped up 1000, spent 5 in the same interval: +995
    let m = l.trackBalance('w', usd(1_080.5), 4_000); // spent 4.5
    expect(m).toMatchObject({ decreasesMicros: 14_500_000n, increasesMicros: 995n * M, at: 4_000 });
    // A wall clock that stepped back never moves the clock backwards.
    expect(l.trackBalance('w', usd(1_080), 3_500)).toMatchObject({ decreasesMicros: 15_000_000n, at: 4_000 });
    l.close();

    l = new Ledger(dir);
    m = l.trackBalance('w', usd(1_070), 5_000); // the fall across the restart still counts
    expect(m).toMatchObject({ decreasesMicros: 25_000_000n, increasesMicros: 995n * M, at: 5_000 });
    // Another currency cannot be compared with the last reading: the totals start over.
    expect(l.trackBalance('w', { micros: 50n * M, currency: 'EUR' }, 6_000)).toEqual({
      currency: 'EUR',
      decreasesMicros: 0n,
      increasesMicros: 0n,
      at: 6_000,
    });
    // Accounts are apart.
    expect(l.trackBalance('other', usd(7), 6_000).decreasesMicros).toBe(0n);
    l.close();
  });

  it('times the statement by its newest debit row: a top-up row does not move the clock', () => {
    const l = new Ledger(tmp());
    const row = (id: string, kind: 'debit' | 'credit', at: number, usdAmount: number) => ({
      id,
      kind,
      at,
      micros: BigInt(usdAmount * 1e6),
      currency: 'USD',
      category: kind === 'debit' ? 'marketing' : '',
    });
    let t = l.apply('w', [row('d1', 'debit', 1_000, 10)]).totals;
    expect(t).toMatchObject({ lastDebitAt: 1_000, lastEntryAt: 1_000 });
    t = l.apply('w', [row('c1', 'credit', 5_000, 500)]).totals;
    expect(t).toMatchObject({ lastDebitAt: 1_000, lastEntryAt: 5_000 });
    // A late debit row older than the newest does not move it back.
    t = l.apply('w', [row('d0', 'debit', 500, 3), row('d2', 'debit', 9_000, 10)]).totals;
    expect(t.lastDebitAt).toBe(9_000);
    l.close();
  });
});

describe('balance movements on /metrics and the runway on the page (sandbox wallet over HTTP)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a falling wallet gives decreases, a top-up an increase, and the page a balance-based runway', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 26, 10));
    // A wallet account without a statement: the balance is the only basis.
    h = await harness({
      clock,
      sandboxUrlPlaceholder: 'http://placeholder.invalid',
      config: {
        billing: {
          meta_pricing: { enabled: false },
          accounts: [
            {
              name: 'w',
              provider: 'http_json',
              url: 'http://placeholder.invalid/wallet/v1/balance',
              balance_path: 'balance',
              currency_path: 'currency',
              interval: '1h',
              thresholds: { low: 100, critical: 25 },
            },
          ],
        },
      },
    });
    const series = (name: string) => `${name}{account="w",currency="USD"}`;
    const read = async () => {
      await h?.refresh();
      return (await h?.scrape()) ?? '';
    };
    let t = await read();
    expect(sample(t, series('whatsapp_credit_balance'))).toBe(180);
    expect(sample(t, series('whatsapp_credit_balance_decreases_total'))).toBe(0);
    expect(sample(t, series('whatsapp_credit_balance_timestamp_seconds'))).toBe(clock.now() / 1000);

    // 6 USD a minute for 15 minutes, read every minute.
    for (let m = 0; m < 15; m++) {
      clock.advance(60_000);
      t = await read();
    }
    expect(sample(t, series('whatsapp_credit_balance'))).toBe(90);
    expect(sample(t, series('whatsapp_credit_balance_decreases_total'))).toBe(90);
    expect(sample(t, series('whatsapp_credit_balance_increases_total'))).toBe(0);

    // The page: 8,640 USD a day from the balance's falls, 90 USD left: 15 minutes.
    const overview = async () =>
      (await (await request(`${h?.exp.url}/api/v1/accounts`)).body.json()) as {
        items: Array<{
          runway: { days: number | null; basis: string | null; spend_per_day: { amount: number } | null };
        }>;
      };
    let runway = (await overview()).items[0]?.runway;
    expect(runway).toMatchObject({ basis: 'balance', spend_per_day: { amount: 8640 } });
    expect(runway?.days).toBeCloseTo(90 / 8640, 6);

    // A top-up of 1000 between two readings a minute apart: +994 (the 6 spent in that minute is
    // netted out, the documented limit), and the spend rate does not go negative.
    h.sb.wallet.topUp(1000);
    clock.advance(60_000);
    t = await read();
    expect(sample(t, series('whatsapp_credit_balance'))).toBe(1084);
    expect(sample(t, series('whatsapp_credit_balance_increases_total'))).toBe(994);
    expect(sample(t, series('whatsapp_credit_balance_decreases_total'))).toBe(90);
    runway = (await overview()).items[0]?.runway;
    expect(runway?.basis).toBe('balance');
    expect(runway?.spend_per_day?.amount).toBeCloseTo(8640 * (15 / 16), 1);
  });
});
