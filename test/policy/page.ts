// The overview page's side of the agreement test: build the page for a state (through
// buildOverview, as GET / does, or through sourceFreshness for sources) and return the severity of
// its problems of one kind.
import { worst, type Severity } from '../../src/policy/index.js';
import type { SourceEntry } from '../../src/poller/store.js';
import type { PhoneRecord } from '../../src/sources/graph/model.js';
import { ACCOUNTS, BALANCE, TOKEN } from '../../src/sources/keys.js';
import { buildOverview, SpendTracker, type Problem } from '../../src/web/overview/index.js';
import { sourceFreshness } from '../../src/web/overview/freshness.js';
import { problemsOf } from '../../src/web/overview/problems.js';
import { fakeConfig, listing, phone, put, scenario, T0 } from '../overview/fixtures.js';

const DAY_MS = 86_400_000;

export interface Thresholds {
  readonly low?: number;
  readonly critical?: number;
}

function worstOf(problems: readonly Problem[], kind: Problem['kind']): Severity | null {
  return problems.filter((p) => p.kind === kind).reduce<Severity | null>((w, p) => worst(w, p.severity), null);
}

/** A billing account with this balance and these thresholds; `spendPerDay` feeds the runway. */
export function pageBilling(
  kind: 'balance' | 'runway',
  balance: number,
  t: Thresholds,
  spendPerDay = 0,
): Severity | null {
  const { deps } = scenario({ balance, phones: [] });
  const spend = new SpendTracker();
  // Two statement rows a day apart, `spendPerDay` between them (as the rules' input: cases.ts).
  spend.observe('wallet', 'statement', 'USD', { at: T0 - 3_600_000, spent: 0, clock: T0 - DAY_MS });
  spend.observe('wallet', 'statement', 'USD', { at: T0, spent: spendPerDay, clock: T0 });
  const o = buildOverview({ ...deps, config: () => fakeConfig({ thresholds: { ...t } }) }, spend);
  return worstOf(o.problems, kind);
}

/**
 * The runway from the balance's own falls, the page seeing the same points the rules get as series
 * (cases.ts): `points` are [seconds before now, cumulative falls, the balance's clock in seconds before now].
 */
export function pageBalanceRunway(
  balance: number,
  t: Thresholds,
  points: ReadonlyArray<readonly [number, number, number]>,
): Severity | null {
  const { deps } = scenario({ balance, phones: [] });
  const spend = new SpendTracker();
  for (const [ago, spent, clockAgo] of points)
    spend.observe('wallet', 'balance', 'USD', { at: T0 - ago * 1000, spent, clock: T0 - clockAgo * 1000 });
  const o = buildOverview({ ...deps, config: () => fakeConfig({ thresholds: { ...t } }) }, spend);
  return worstOf(o.problems, 'runway');
}

/**
 * The account "wallet" is a Meta credit line with 500 USD of headroom (no balance alert) reporting
 * this is_access_revoked (undefined: Meta did not say).
 */
export function pageCreditLine(accessRevoked: boolean | undefined): Severity | null {
  const { deps, store } = scenario({ phones: [] });
  const creditLine = { id: '1972385232742146', accessRevoked, allocations: [], allocationsCut: false };
  const reading = { micros: 500_000_000n, currency: 'USD' };
  put(store, BALANCE, 'wallet', { account: 'wallet', reading, creditLine }, T0);
  return worstOf(buildOverview(deps).problems, 'balance');
}

/** Business B1 on `tier` with `usage` unique recipients in the last 24 h. */
export function pageLimit(tier: string, usage: number): Severity | null {
  const o = buildOverview(scenario({ tier, usage: new Map([['B1', usage]]), phones: [] }).deps);
  return worstOf(o.problems, 'limit');
}

/** One number (CONNECTED, GREEN, AVAILABLE unless `p` says otherwise). */
export function pagePhone(p: Partial<PhoneRecord>): Severity | null {
  return worstOf(buildOverview(scenario({ phones: [phone('0001', p)] }).deps).problems, 'phone');
}

/** The last config reload succeeded or failed. */
export function pageReload(ok: boolean): Severity | null {
  const { deps } = scenario({ phones: [] });
  return worstOf(buildOverview({ ...deps, lastReload: () => ({ ok, at: T0 }) }).problems, 'exporter');
}

/** WABA W1 with this account_review_status. */
export function pageReview(reviewStatus: string): Severity | null {
  return worstOf(buildOverview(scenario({ reviewStatus, phones: [] }).deps).problems, 'waba');
}

/** WABA W1 with `apps` subscribed apps (undefined: Graph did not say), with or without a webhook feed. */
export function pageSubscription(apps: number | undefined, webhooksConfigured: boolean): Severity | null {
  const { deps, store } = scenario({ phones: [] });
  put(store, ACCOUNTS, 'B1', listing([], 'APPROVED', apps), T0);
  return worstOf(buildOverview({ ...deps, webhooksConfigured: () => webhooksConfigured }).problems, 'waba');
}

/** The "default" token: valid or not, expiring `expiresInSeconds` from now (null = never). */
export function pageToken(valid: boolean, expiresInSeconds: number | null): Severity | null {
  const { deps, store } = scenario({ phones: [] });
  const expiresAt = expiresInSeconds === null ? Number.POSITIVE_INFINITY : T0 / 1000 + expiresInSeconds;
  put(store, TOKEN, 'default', { credential: 'default', valid, expiresAt }, T0);
  return worstOf(buildOverview(deps).problems, 'token');
}

export interface SourceState {
  readonly source: string;
  readonly intervalSeconds: number;
  /** Age of the last success in refresh intervals; null = never succeeded. */
  readonly ageIntervals: number | null;
  readonly up: boolean;
}

/** One source loop, max staleness 5 intervals (the default staleness_intervals). */
export function pageSource(s: SourceState): Severity | null {
  const intervalMs = s.intervalSeconds * 1000;
  const entry: SourceEntry = {
    source: s.source,
    target: 't1',
    intervalMs,
    maxStalenessMs: 5 * intervalMs,
    lastAttempt: T0,
    up: s.up,
    ...(s.ageIntervals === null ? {} : { lastSuccess: T0 - s.ageIntervals * intervalMs }),
    ...(s.up ? {} : { error: { reason: 'timeout' } }),
  };
  const sources = [sourceFreshness(entry, T0)];
  return worstOf(problemsOf({ businesses: [], billing: [], tokens: [], sources }), 'source');
}
