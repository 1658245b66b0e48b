import { toNumber } from '../../billing/money.js';
import type { SnapshotStore } from '../../poller/store.js';
import { STATEMENT } from '../../sources/keys.js';
import type { LedgerTotals } from '../../billing/data.js';
import { fmtTime } from './format.js';
import { iso } from './freshness.js';
import type { Money, RunwayView } from './model.js';

/** The spend rate is measured over at most this much statement history. */
export const SPEND_WINDOW_MS = 7 * 86_400_000;
const MAX_SAMPLES = 1_000;
const DAY_MS = 86_400_000;

/** Cumulative debits per currency at one statement time. */
export interface SpendSample {
  readonly at: number;
  readonly debits: ReadonlyMap<string, bigint>;
}

export interface SpendHistory {
  samples(account: string): readonly SpendSample[];
}

/**
 * Remembers the ledger's cumulative debit totals over time, so that the page can say how fast an
 * account spends. The ledger keeps totals, not rows, so the rate comes from how the totals grew
 * between polls. Each sample is timed by the newest statement row (not the poll), so a statement
 * that is published in 5-minute or daily rows gives the right rate as soon as two rows are seen.
 * In memory only: after a restart the runway is unknown until the statement grows again.
 */
export class SpendTracker implements SpendHistory {
  private readonly byAccount = new Map<string, SpendSample[]>();

  observe(account: string, at: number, totals: LedgerTotals): void {
    const debits = new Map<string, bigint>();
    for (const [k, micros] of totals.debits) {
      const cur = k.split('\u0000')[0] as string;
      debits.set(cur, (debits.get(cur) ?? 0n) + micros);
    }
    const list = this.byAccount.get(account) ?? [];
    const last = list[list.length - 1];
    if (last && at < last.at) return;
    if (last && at === last.at) list.pop();
    list.push({ at, debits });
    while (list.length > MAX_SAMPLES || (list.length > 2 && (list[0] as SpendSample).at < at - SPEND_WINDOW_MS))
      list.shift();
    this.byAccount.set(account, list);
  }

  samples(account: string): readonly SpendSample[] {
    return this.byAccount.get(account) ?? [];
  }
}

/** A tracker fed by every billing_statement refresh in the store; stop() unsubscribes. */
export function watchSpend(store: SnapshotStore): { tracker: SpendTracker; stop(): void } {
  const tracker = new SpendTracker();
  const seen = new Map<string, number>();
  const scan = () => {
    for (const e of store.bySource(STATEMENT)) {
      if (!e.data || e.lastSuccess === undefined || seen.get(e.target) === e.lastSuccess) continue;
      seen.set(e.target, e.lastSuccess);
      tracker.observe(e.data.account, e.data.totals.lastEntryAt ?? e.lastSuccess, e.data.totals);
    }
  };
  const onChange = (source: string) => {
    if (source === STATEMENT.name) scan();
  };
  scan();
  store.on('change', onChange);
  return { tracker, stop: () => void store.off('change', onChange) };
}

/** Days to zero at the spend rate seen over the samples (pure). */
export function runway(samples: readonly SpendSample[], balance: Money | null, hasStatement: boolean): RunwayView {
  const unknown = (note: string): RunwayView => ({ days: null, spendPerDay: null, since: null, note });
  if (!hasStatement)
    return unknown('unknown: no statement configured for this account, so the spend rate is not known');
  if (!balance) return unknown('unknown: no balance reading');
  const last = samples[samples.length - 1];
  const first = last && samples.find((s) => s.at >= last.at - SPEND_WINDOW_MS);
  if (!last || !first || last.at <= first.at)
    return unknown('unknown: waiting for new statement rows to measure the spend rate');
  const spent = (last.debits.get(balance.currency) ?? 0n) - (first.debits.get(balance.currency) ?? 0n);
  const perDay = (toNumber(spent) * DAY_MS) / (last.at - first.at);
  const spendPerDay = { amount: Math.round(perDay * 100) / 100, currency: balance.currency };
  const since = iso(first.at);
  if (balance.amount <= 0) return { days: 0, spendPerDay, since, note: 'the balance is used up' };
  if (perDay <= 0)
    return {
      days: null,
      spendPerDay,
      since,
      note: `no ${balance.currency} spend in the statement rows seen since ${fmtTime(since)}`,
    };
  return {
    days: balance.amount / perDay,
    spendPerDay,
    since,
    note: `at the spend rate of the statement rows seen since ${fmtTime(since)}`,
  };
}
