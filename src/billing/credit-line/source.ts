import type { BillingAccount } from '../../config/config.js';
import { MAX_CREDIT_LINE_ALLOCATIONS } from '../../config/defaults.js';
import { graphCredential } from '../../sources/credentials.js';
import { GraphError, type FailureReason } from '../../sources/graph/errors.js';
import { BALANCE, TOKEN } from '../../sources/keys.js';
import type { FetchResult, SourceDef, Target } from '../../sources/types.js';
import type { BalanceData } from '../data.js';
import { BillingError, type BillingReason } from '../errors.js';
import { accountOf, billingDeps } from '../sources.js';
import { creditLineSettings } from './budget.js';
import { readCreditLine } from './fetch.js';
import { parseAllocations, parseCreditLine } from './parse.js';

/**
 * The `billing` source for meta_credit_line accounts: the same source (key, `source` label,
 * staleness paging, balance tracking, overview) as the HTTP providers, with the traits of a Graph
 * source: its calls go through the Graph client, Meta's usage headers slow it down, an auth error
 * re-checks the token, and its intervals are held under the credit-line APIs' budget (budget.ts).
 * `credit_available` is the balance, so every balance alert applies to a credit line.
 */
export const creditLineSource: SourceDef<BalanceData> = {
  key: BALANCE,
  traits: { shard: { billing_account: 'shard_one' }, onAuthFailure: TOKEN, usageFeedback: true },
  targets: (ctx) =>
    ctx.config.billing.accounts.flatMap((a): Target[] => {
      if (!a.creditLine) return [];
      // Validated at load (sandbox mode: "default"); a target without one fails its refresh, saying so.
      const credential = ctx.config.credentials.find((c) => c.name === a.creditLine?.credential);
      return [{ id: a.name, kind: 'billing_account', businessId: a.creditLine.businessId, credential }];
    }),
  settings: (config, t) => creditLineSettings(config, accountOf({ config }, t.id)),
  async fetch(ctx, t, previous): Promise<FetchResult<BalanceData>> {
    const a = accountOf(ctx, t.id);
    const s = a.creditLine as NonNullable<BillingAccount['creditLine']>;
    const deps = billingDeps(ctx);
    const observer = deps.http.observer;
    // One billing request per refresh; its HTTP calls are Graph calls (graph_api_requests_total).
    observer?.billingRequest(a.provider);
    try {
      // The line found last time: its shares are read alongside the listing (one batch).
      const raw = await readCreditLine(ctx.graph, graphCredential(t), s, previous?.creditLine?.id);
      const line = parseCreditLine(raw.line, a.currency);
      const shares = parseAllocations(raw.allocations);
      const problems = [...line.problems];
      if (shares.malformed > 0)
        problems.push(`${shares.malformed} allocation(s) without a usable id or receiving business`);
      // Unusable parts are left out, never zeroed, and never silent: a counted parse failure and a log line.
      for (let i = 0; i < problems.length; i++) observer?.billingFailure(a.provider, 'parse');
      if (problems.length > 0)
        ctx.logger.warn(
          { account: a.name, credit_line_id: line.id, problems },
          'credit line: unusable fields left out',
        );
      const cut = raw.more || shares.allocations.length > MAX_CREDIT_LINE_ALLOCATIONS;
      // Only a good reading moves the tracked balance: a failed poll leaves a gap, not a fall to zero.
      const movements = deps.ledger.trackBalance(a.name, line.available, ctx.clock.now());
      return {
        data: {
          account: a.name,
          reading: line.available,
          movements,
          creditLine: {
            id: line.id,
            maxBalance: line.maxBalance,
            allocated: line.allocated,
            accessRevoked: line.accessRevoked,
            allocations: shares.allocations.slice(0, MAX_CREDIT_LINE_ALLOCATIONS),
            allocationsCut: cut,
          },
        },
        unknown: [],
      };
    } catch (err) {
      observer?.billingFailure(a.provider, billingReason(err));
      throw err;
    }
  },
};

/**
 * The billing reason of a failed refresh. A Graph permission error (code 10, 200–299: no
 * business_management or no Financial Editor role) is `auth`, as a 403 is for an HTTP provider.
 */
export function billingReason(err: unknown): BillingReason {
  if (err instanceof BillingError) return err.reason;
  if (err instanceof GraphError) return GRAPH_TO_BILLING[err.reason];
  return 'upstream_error';
}

const GRAPH_TO_BILLING: Readonly<Record<FailureReason, BillingReason>> = {
  auth: 'auth',
  permission: 'auth',
  rate_limited: 'rate_limited',
  timeout: 'timeout',
  connect: 'connect',
  http_5xx: 'http_5xx',
  http_4xx: 'http_4xx',
  parse: 'parse',
  schema: 'parse',
  too_large: 'too_large',
};
