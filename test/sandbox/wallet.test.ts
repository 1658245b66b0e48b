import { describe, expect, it } from 'vitest';
import { SandboxWallet } from '../../src/sandbox/wallet.js';
import { ManualClock } from '../../src/util/clock.js';

const MIN = 60_000;
const usd = (micros: bigint) => Number(micros) / 1e6;

describe('sandbox wallet, scheduled refill', () => {
  it('tops up every N minutes after start, interleaved with explicit top-ups, with stable statement ids', () => {
    const clock = new ManualClock();
    const start = clock.now();
    const w = new SandboxWallet(clock, { initial: 50, burnPerMinute: 3, refill: { everyMinutes: 10, amount: 20 } });
    expect(usd(w.balanceMicros())).toBe(50);
    clock.advance(5 * MIN);
    w.topUp(7);
    // Asking about the past or the future needs no timer to have run in between.
    expect(usd(w.balanceMicros(start + 10 * MIN - 1))).toBeCloseTo(27, 3);
    expect(usd(w.balanceMicros(start + 10 * MIN))).toBe(47);
    expect(usd(w.balanceMicros(start + 30 * MIN))).toBe(47 - 60 + 40);
    clock.set(start + 30 * MIN);
    const credits = w.statement().filter((r) => r.type === 'credit');
    expect(credits.map((r) => [r.id, r.amount])).toEqual([
      ['credit-0', '230.00'],
      ['credit-1', '7.00'],
      ['credit-refill-1', '20.00'],
      ['credit-refill-2', '20.00'],
      ['credit-refill-3', '20.00'],
    ]);
    // Debit rows count burn only: 30 minutes at 3 a minute since start, plus the hour of history.
    const debits = w.statement().filter((r) => r.type === 'debit');
    expect(debits.reduce((n, r) => n + Number(r.amount), 0)).toBeCloseTo(3 * 90, 6);
  });

  it('refuses a refill that never comes round', () => {
    expect(() => new SandboxWallet(new ManualClock(), { refill: { everyMinutes: 0, amount: 1 } })).toThrow(/positive/);
  });
});
