import type { Clock } from '../util/clock.js';

/**
 * A prepaid messaging wallet that burns down as simulated traffic is billed, with top-ups, and
 * the statement (ledger) that goes with it. Everything is a function of the injected clock and
 * the list of top-ups, so the same time always gives the same balance and statement.
 * Amounts are integer micros (millionths) to keep the arithmetic exact.
 */
export interface WalletOptions {
  /** Opening balance, major units. Default 180. */
  initial?: number;
  currency?: string;
  /** Spend per minute while the balance is above zero. Default 6 (the demo crosses 100 in ~13 min). */
  burnPerMinute?: number;
  /** Statement debit rows cover this many minutes each. Default 5. */
  rowMinutes?: number;
  /** Minutes of statement history before the sandbox started (the balance at start is still `initial`). Default 60. */
  historyMinutes?: number;
  /**
   * A top-up of `amount` every `everyMinutes` after the sandbox started (the demo's; none by
   * default). Scheduled rather than made by a timer, so the balance stays a function of the clock
   * whether or not anything asked for it in between.
   */
  refill?: { everyMinutes: number; amount: number };
}

interface WalletEvent {
  at: number;
  micros: bigint;
  kind: 'credit' | 'adjustment';
  /** Statement row id: stable, because a statement reader keys its ledger by it. */
  id: string;
}

/** How one debit row splits across categories (shares of 100). */
const SPLIT: ReadonlyArray<[string, bigint]> = [
  ['marketing', 55n],
  ['utility', 25n],
  ['authentication', 15n],
  ['service', 5n],
];
const M = 1_000_000n;

export interface WalletRow {
  id: string;
  date: string;
  type: 'credit' | 'debit' | 'adjustment';
  amount: string;
  currency: string;
  category: string;
  balance: string;
}

export class SandboxWallet {
  readonly currency: string;
  private readonly start: number;
  private readonly burnMicrosPerMs: bigint;
  private readonly rowMs: number;
  /** Balance changes that are not burn: top-ups (+) and explicit sets (as the delta), in time order. */
  private readonly events: WalletEvent[] = [];
  private readonly initial: bigint;
  private readonly refill?: { firstAt: number; everyMs: number; micros: bigint };

  constructor(
    private readonly clock: Clock,
    o: WalletOptions = {},
  ) {
    const history = o.historyMinutes ?? 60;
    const burn = o.burnPerMinute ?? 6;
    // The wallet opened `history` minutes ago with enough credit to be at `initial` now, so a
    // fresh demo already has statement rows and a spend rate to graph.
    this.start = clock.now() - history * 60_000;
    this.currency = o.currency ?? 'USD';
    // The opening balance is a top-up at start, so the statement begins with a credit row.
    this.initial = 0n;
    this.push(this.start, BigInt(Math.round(((o.initial ?? 180) + burn * history) * 1e6)), 'credit');
    this.burnMicrosPerMs = BigInt(Math.round((burn * 1e6) / 60_000));
    this.rowMs = (o.rowMinutes ?? 5) * 60_000;
    if (o.refill) {
      const everyMs = o.refill.everyMinutes * 60_000;
      if (!(everyMs > 0)) throw new RangeError('sandbox wallet: refill.everyMinutes must be positive');
      this.refill = { firstAt: clock.now() + everyMs, everyMs, micros: BigInt(Math.round(o.refill.amount * 1e6)) };
    }
  }

  /** Balance at time t: replays burn between events, never below zero (sending stops at zero). */
  balanceMicros(t = this.clock.now()): bigint {
    let bal = this.initial;
    let at = this.start;
    for (const e of this.eventsUntil(t)) {
      bal = burn(bal, BigInt(e.at - at) * this.burnMicrosPerMs) + e.micros;
      at = e.at;
    }
    return burn(bal, BigInt(Math.max(0, t - at)) * this.burnMicrosPerMs);
  }

  topUp(amount: number): void {
    this.push(this.clock.now(), BigInt(Math.round(amount * 1e6)), 'credit');
  }

  /** Sets the balance now (an adjustment row), for tests and the e2e scenario. */
  setBalance(amount: number): void {
    const target = BigInt(Math.round(amount * 1e6));
    this.push(this.clock.now(), target - this.balanceMicros(), 'adjustment');
  }

  /** The statement up to now: one debit row per category per completed period, plus credit rows. */
  statement(now = this.clock.now()): WalletRow[] {
    const rows: Array<WalletRow & { at: number }> = [];
    for (let b = this.start; b + this.rowMs <= now; b += this.rowMs) {
      // Spend in the period = burn only (events are separate rows).
      const spent = this.spentBetween(b, b + this.rowMs);
      if (spent === 0n) continue;
      let left = spent;
      SPLIT.forEach(([category, share], i) => {
        const part = i === SPLIT.length - 1 ? left : (spent * share) / 100n;
        left -= part;
        rows.push(this.row(`debit-${b}-${category}`, b + this.rowMs, 'debit', part, category));
      });
    }
    for (const e of this.eventsUntil(now))
      rows.push(this.row(e.id, e.at, e.kind, e.micros < 0n ? -e.micros : e.micros, ''));
    return rows.sort((a, b) => a.at - b.at).map(({ at: _at, ...r }) => r);
  }

  private spentBetween(a: number, b: number): bigint {
    // Burn = balance drop not explained by events.
    let events = 0n;
    for (const e of this.eventsUntil(b)) if (e.at > a) events += e.micros;
    return this.balanceMicros(a) + events - this.balanceMicros(b);
  }

  /** Ids number the explicit events in the order they were made (credit-0 is the opening credit). */
  private push(at: number, micros: bigint, kind: WalletEvent['kind']): void {
    this.events.push({ at, micros, kind, id: `${kind}-${this.events.length}` });
  }

  /** Explicit events and scheduled refills up to `t`, merged in time order (a refill first on a tie). */
  private *eventsUntil(t: number): Generator<WalletEvent> {
    const r = this.refill;
    let k = 1;
    let next = r ? r.firstAt : Number.POSITIVE_INFINITY;
    const refill = (): WalletEvent => {
      const e: WalletEvent = { at: next, micros: r?.micros ?? 0n, kind: 'credit', id: `credit-refill-${k}` };
      k++;
      next += r?.everyMs ?? Number.POSITIVE_INFINITY;
      return e;
    };
    for (const e of this.events) {
      if (e.at > t) break;
      while (next <= e.at) yield refill();
      yield e;
    }
    while (next <= t) yield refill();
  }

  private row(
    id: string,
    at: number,
    type: WalletRow['type'],
    micros: bigint,
    category: string,
  ): WalletRow & { at: number } {
    return {
      id,
      at,
      date: new Date(at).toISOString(),
      type,
      amount: fmt(micros),
      currency: this.currency,
      category,
      balance: fmt(this.balanceMicros(at)),
    };
  }
}

const burn = (bal: bigint, amount: bigint) => (bal - amount > 0n ? bal - amount : bal > 0n ? 0n : bal);
/** Micros → "12.5" style decimal text with at least two decimals (as wallet APIs print money). */
const fmt = (micros: bigint) => {
  const neg = micros < 0n;
  const a = neg ? -micros : micros;
  const frac = (a % M).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${neg ? '-' : ''}${a / M}.${frac}`;
};
