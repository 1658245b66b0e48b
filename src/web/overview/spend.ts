import type { BillingAccount } from '../../billing/account.js';
import { toNumber } from '../../billing/money.js';
import type { SnapshotStore } from '../../poller/store.js';
import { durationSeconds, ESTIMATE_WINDOWS, RECORDING_WINDOWS, type SpendBasis } from '../../policy/index.js';
import { bulkWallets } from '../../billing/bulk.js';
import { BALANCE, BULK_BALANCE, STATEMENT } from '../../sources/keys.js';
import type { Clock } from '../../util/clock.js';
import { fmtTime } from './format.js';
import { iso } from './freshness.js';
import type { Money, RunwayView } from './model.js';

// The page's runway, by the formula of the recording rule account_currency:whatsapp_credit_spend:rate6h
// (alerts/generate.ts, spendRateExpr): the same bases in the same order (SPEND_BASES), the same
// window, the same arithmetic over the points this process saw instead of Prometheus' samples.
// test/policy/agreement.test.ts feeds both the same history and compares.

const WINDOW_MS = durationSeconds(RECORDING_WINDOWS.spendRateWindow) * 1000;
/** The estimate's windows, longest first, as in the rule: the longest one the data covers. */
const ESTIMATE_WINDOWS_MS = ESTIMATE_WINDOWS.map((w) => durationSeconds(w) * 1000).filter((w) => w <= WINDOW_MS);
/** Prometheus' lookback: `x offset w` finds a sample up to 5 minutes before now - w. */
const LOOKBACK_MS = 300_000;
/** One point a minute is enough for a 6 h window (the counters only grow between the kept points). */
const MIN_SPACING_MS = 60_000;
const MAX_POINTS = 400;
const DAY_MS = 86_400_000;

/** A cumulative spend counter (major units) and the clock of its basis, seen at `at`. */
export interface SpendPoint {
  readonly at: number;
  readonly spent: number;
  /** statement: newest debit row's time; balance: when it last moved; estimate: `at`. Unix ms. */
  readonly clock: number;
}

export interface SpendHistory {
  points(account: string, basis: SpendBasis, currency: string): readonly SpendPoint[];
}

/** Remembers the spend counters of every account over the window. In memory only. */
export class SpendTracker implements SpendHistory {
  private readonly series = new Map<string, SpendPoint[]>();

  observe(account: string, basis: SpendBasis, currency: string, p: SpendPoint): void {
    const key = `${account}\u0000${basis}\u0000${currency}`;
    const list = this.series.get(key) ?? [];
    const last = list[list.length - 1];
    if (last && p.at < last.at) return;
    // Thin out to a point a minute: the counters only grow, so the points in between add nothing
    // to increase(spent) / increase(clock) between the ones kept.
    const prev = list[list.length - 2];
    if (last && prev && p.at - prev.at < MIN_SPACING_MS) list.pop();
    list.push(p);
    while (list.length > MAX_POINTS || (list.length > 2 && (list[0] as SpendPoint).at < p.at - WINDOW_MS - LOOKBACK_MS))
      list.shift();
    this.series.set(key, list);
  }

  points(account: string, basis: SpendBasis, currency: string): readonly SpendPoint[] {
    return this.series.get(`${account}\u0000${basis}\u0000${currency}`) ?? [];
  }
}

export interface SpendRate {
  readonly basis: SpendBasis;
  /** Major units per day. */
  readonly perDay: number;
  /** First point the rate was measured from. */
  readonly since: number;
}

/** The points in the window (as a range selector sees samples). */
const windowOf = (points: readonly SpendPoint[], now: number) =>
  points.filter((p) => p.at >= now - WINDOW_MS && p.at <= now);

/** resets(): the counter went down somewhere in the window (a ledger rebuilt from scratch). */
const hasReset = (w: readonly SpendPoint[]) => w.some((p, i) => i > 0 && p.spent < (w[i - 1] as SpendPoint).spent);

/** increase(spent) / increase(clock) over the points in the window; null without a clock move. */
function clockedRate(points: readonly SpendPoint[], now: number): { perMs: number; since: number } | null {
  const inWindow = windowOf(points, now);
  const first = inWindow[0];
  const last = inWindow[inWindow.length - 1];
  if (!first || !last || last.clock <= first.clock) return null;
  // As increase(): a counter that went down restarts, and what it counts after the reset is added.
  let spent = 0;
  for (let i = 1; i < inWindow.length; i++) {
    const d = (inWindow[i] as SpendPoint).spent - (inWindow[i - 1] as SpendPoint).spent;
    spent += d >= 0 ? d : (inWindow[i] as SpendPoint).spent;
  }
  return { perMs: spent / (last.clock - first.clock), since: first.at };
}

/** The longest window the points cover (a point within the lookback before its start), as rate(x[w]) and x offset w. */
function coveredRate(points: readonly SpendPoint[], now: number): { perMs: number; since: number } | null {
  const last = points[points.length - 1];
  if (!last) return null;
  for (const w of ESTIMATE_WINDOWS_MS) {
    const start = now - w;
    if (!points.some((p) => p.at <= start && p.at >= start - LOOKBACK_MS)) continue;
    const first = points.find((p) => p.at >= start);
    if (!first || last.at <= first.at) continue;
    return { perMs: Math.max(0, last.spent - first.spent) / (last.at - first.at), since: first.at };
  }
  return null;
}

/**
 * The account's spend rate in `currency` from the first basis with data (pure). A balance counts
 * only when it fell in the window; else the estimate; else a balance that did not fall (rate 0).
 */
export function spendRate(h: SpendHistory, account: string, currency: string, now: number): SpendRate | null {
  const of = (basis: SpendBasis) => h.points(account, basis, currency);
  const rated = (basis: SpendBasis, r: { perMs: number; since: number } | null): SpendRate | null =>
    r && { basis, perDay: r.perMs * DAY_MS, since: r.since };
  const statementPoints = of('statement');
  const statement = hasReset(windowOf(statementPoints, now))
    ? null
    : rated('statement', clockedRate(statementPoints, now));
  if (statement) return statement;
  const balance = rated('balance', clockedRate(of('balance'), now));
  if (balance && balance.perDay > 0) return balance;
  const estimate = rated('estimate', coveredRate(of('estimate'), now));
  if (estimate) return estimate;
  // A balance that did not fall in the window (increase == 0): nothing is spent.
  const flat = windowOf(of('balance'), now);
  const [first, last] = [flat[0], flat[flat.length - 1]];
  if (first && last && flat.length > 1 && last.spent === first.spent && !hasReset(flat))
    return { basis: 'balance', perDay: 0, since: first.at };
  return null;
}

const BASIS_WORDS: Readonly<Record<SpendBasis, string>> = {
  statement: 'the statement rows',
  balance: 'the balance falls (top-ups left out)',
  estimate: 'the estimated cost of billable messages (webhooks × rate card)',
};

/** Days to zero at the account's spend rate (pure). */
export function runway(h: SpendHistory, account: string, balance: Money | null, now: number): RunwayView {
  const unknown = (note: string): RunwayView => ({ days: null, spendPerDay: null, since: null, basis: null, note });
  if (!balance) return unknown('unknown: no balance reading');
  const r = spendRate(h, account, balance.currency, now);
  if (!r)
    return unknown(
      'unknown: waiting for a second statement row, a second balance reading or billable messages to measure the spend rate',
    );
  const spendPerDay = { amount: Math.round(r.perDay * 100) / 100, currency: balance.currency };
  const since = iso(r.since);
  const from = `${BASIS_WORDS[r.basis]} seen since ${fmtTime(since)}`;
  const base = { spendPerDay, since, basis: r.basis };
  if (balance.amount <= 0) return { ...base, days: 0, note: 'the balance is used up' };
  if (r.perDay <= 0) return { ...base, days: null, note: `no ${balance.currency} spend in ${from}` };
  return { ...base, days: Math.max(0, balance.amount) / r.perDay, note: `at the spend rate of ${from}` };
}

export interface SpendSources {
  readonly store: SnapshotStore;
  readonly clock: Clock;
  readonly accounts: () => readonly BillingAccount[];
  /** Estimated cost so far (cumulative, major units) per business id and currency, from the webhook counters. */
  readonly estimatedCost?: () => ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * A tracker fed by every statement and balance refresh in the store, and sampling the estimated
 * cost every 30 s for accounts that declare `business_ids`; stop() unsubscribes.
 */
export function watchSpend(d: SpendSources): { tracker: SpendTracker; stop(): void } {
  const tracker = new SpendTracker();
  const seen = new Map<string, number>();
  const fresh = (source: string, target: string, at: number) => {
    const key = `${source}\u0000${target}`;
    if (seen.get(key) === at) return false;
    seen.set(key, at);
    return true;
  };
  const scan = () => {
    for (const e of d.store.bySource(STATEMENT)) {
      if (!e.data || e.lastSuccess === undefined || !fresh(STATEMENT.name, e.target, e.lastSuccess)) continue;
      const t = e.data.totals;
      if (t.lastDebitAt === undefined) continue;
      const byCurrency = new Map<string, number>();
      for (const [k, micros] of t.debits) {
        const cur = k.split('\u0000')[0] as string;
        byCurrency.set(cur, (byCurrency.get(cur) ?? 0) + toNumber(micros));
      }
      for (const [cur, spent] of byCurrency)
        tracker.observe(e.data.account, 'statement', cur, { at: e.lastSuccess, spent, clock: t.lastDebitAt });
    }
    // Bulk endpoints' wallets move like configured balances (src/billing/bulk.ts).
    const entries = d.store.bySource(BULK_BALANCE);
    // The wallets each entry owns (a name listed by two entries is the first one's).
    const owned = new Map(
      bulkWallets(
        d.accounts(),
        entries.flatMap((e) => (e.data ? [{ data: e.data }] : [])),
      ).map((w) => [w.group.name, w.items] as const),
    );
    for (const e of entries) {
      if (!e.data || e.lastSuccess === undefined || !fresh(BULK_BALANCE.name, e.target, e.lastSuccess)) continue;
      for (const i of owned.get(e.data.group) ?? []) {
        const m = i.movements;
        if (m)
          tracker.observe(i.account, 'balance', m.currency, {
            at: e.lastSuccess,
            spent: toNumber(m.decreasesMicros),
            clock: m.at,
          });
      }
    }
    for (const e of d.store.bySource(BALANCE)) {
      const m = e.data?.movements;
      if (!e.data || !m || e.lastSuccess === undefined || !fresh(BALANCE.name, e.target, e.lastSuccess)) continue;
      tracker.observe(e.data.account, 'balance', m.currency, {
        at: e.lastSuccess,
        spent: toNumber(m.decreasesMicros),
        clock: m.at,
      });
    }
  };
  const sampleEstimates = () => {
    const cost = d.estimatedCost?.();
    if (!cost) return;
    const now = d.clock.now();
    for (const a of d.accounts()) {
      if (a.businessIds.length === 0) continue;
      const byCurrency = new Map<string, number>();
      for (const b of a.businessIds)
        for (const [cur, v] of cost.get(b) ?? []) byCurrency.set(cur, (byCurrency.get(cur) ?? 0) + v);
      for (const [cur, spent] of byCurrency) tracker.observe(a.name, 'estimate', cur, { at: now, spent, clock: now });
    }
  };
  const onChange = (source: string) => {
    if (source === STATEMENT.name || source === BALANCE.name || source === BULK_BALANCE.name) scan();
  };
  scan();
  sampleEstimates();
  d.store.on('change', onChange);
  const timer = d.estimatedCost ? setInterval(sampleEstimates, 30_000) : undefined;
  timer?.unref();
  return {
    tracker,
    stop: () => {
      d.store.off('change', onChange);
      if (timer) clearInterval(timer);
    },
  };
}
