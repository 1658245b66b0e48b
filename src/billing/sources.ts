import { readFile } from 'node:fs/promises';
import type { BillingAccount } from '../config/config.js';
import { BALANCE, BULK_BALANCE, STATEMENT } from '../sources/keys.js';
import type { FetchResult, SourceContext, SourceDef, Target } from '../sources/types.js';
import { parseBulk } from './bulk.js';
import type { BalanceData, BulkBalanceData, StatementData } from './data.js';
import { BillingError } from './errors.js';
import { fetchText } from './http.js';
import { answerParser } from './providers/index.js';
import { parseStatement, type StatementRow } from './statement.js';

/**
 * The `provider` label of the billing request counters for an account: the provider for its
 * balance API, `<provider>_statement` for its statement; a `statement` account has only the
 * statement, so its label is `statement` (not `statement_statement`).
 */
export function billingCounterProviders(a: BillingAccount): string[] {
  return [...(a.http || a.creditLine ? [a.provider] : []), ...(a.statement ? [statementProvider(a)] : [])];
}

const statementProvider = (a: BillingAccount) => (a.provider === 'statement' ? 'statement' : `${a.provider}_statement`);

export const accountOf = (ctx: Pick<SourceContext, 'config'>, name: string): BillingAccount => {
  const a = ctx.config.billing.accounts.find((x) => x.name === name);
  if (!a) throw new BillingError(`no billing account ${name}`, 'config', 'parse');
  return a;
};

/** The loops of the billing accounts `keep` selects: one per account, at the account's interval. */
function accountLoops(keep: (a: BillingAccount) => boolean) {
  return {
    traits: { shard: { billing_account: 'shard_one' } },
    targets: (ctx: Pick<SourceContext, 'config'>) =>
      ctx.config.billing.accounts.filter(keep).map((a): Target => ({ id: a.name, kind: 'billing_account' })),
    settings: (config: SourceContext['config'], t: Target) => {
      const a = accountOf({ config }, t.id);
      return { enabled: true, intervalMs: a.intervalMs, maxStalenessMs: a.maxStalenessMs };
    },
  } as const;
}

/** A parse of a provider's answer: its BillingError counts as that provider's failure, then propagates. */
function counted<T>(deps: ReturnType<typeof billingDeps>, provider: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof BillingError) deps.http.observer?.billingFailure(provider, err.reason);
    throw err;
  }
}

export function billingDeps(ctx: SourceContext) {
  if (!ctx.billing) throw new Error('billing dependencies not wired');
  return ctx.billing;
}

/** billing: the wallet balance of each account that has a balance API (http_json or a preset). */
export const balanceSource: SourceDef<BalanceData> = {
  key: BALANCE,
  ...accountLoops((a) => a.http !== undefined && !a.http.bulk),
  async fetch(ctx, t): Promise<FetchResult<BalanceData>> {
    const a = accountOf(ctx, t.id);
    const http = a.http as NonNullable<BillingAccount['http']>;
    const deps = billingDeps(ctx);
    const body = await fetchText(a.provider, http, deps.http);
    let reading: BalanceData['reading'];
    try {
      reading = answerParser(a.provider)(a.provider, body, http, a.currency);
    } catch (err) {
      if (err instanceof BillingError) deps.http.observer?.billingFailure(a.provider, err.reason);
      throw err;
    }
    // Only a good reading moves the tracked balance: a failed poll leaves a gap, not a fall to zero.
    const movements = deps.ledger.trackBalance(a.name, reading, ctx.clock.now());
    return { data: { account: a.name, reading, movements }, unknown: [] };
  },
};

/**
 * billing_bulk: one request per interval for an endpoint that lists many wallets (http_json with
 * items_path). Each valid item is an account; its balance is tracked like a configured account's.
 * Items that cannot be read or repeat a name are counted and logged, never silently dropped.
 */
export const bulkSource: SourceDef<BulkBalanceData> = {
  key: BULK_BALANCE,
  ...accountLoops((a) => a.http?.bulk !== undefined),
  async fetch(ctx, t): Promise<FetchResult<BulkBalanceData>> {
    const a = accountOf(ctx, t.id);
    const http = a.http as NonNullable<BillingAccount['http']>;
    const deps = billingDeps(ctx);
    const body = await fetchText(a.provider, http, deps.http);
    // A wallet named like a configured account would mix two balances: the configured one wins.
    const taken = new Set(ctx.config.billing.accounts.map((x) => x.name));
    const parsed = counted(deps, a.provider, () => parseBulk(a.provider, body, http, a.currency, taken));
    if (parsed.skipped.invalid + parsed.skipped.duplicate > 0)
      ctx.logger.warn(
        { account: a.name, ...parsed.skipped, duplicates: parsed.duplicates, invalid: parsed.invalid },
        'bulk wallets skipped (counted in whatsapp_billing_bulk_items)',
      );
    const now = ctx.clock.now();
    const items = parsed.items.map((i) => ({ ...i, movements: deps.ledger.trackBalance(i.account, i.reading, now) }));
    return { data: { group: a.name, items, skipped: parsed.skipped }, unknown: [] };
  },
};

/**
 * billing_statement: the credit statement (ledger) of each account that has one. New rows go
 * into the on-disk ledger; the data is the cumulative totals, so counters only ever grow.
 */
export const statementSource: SourceDef<StatementData> = {
  key: STATEMENT,
  traits: { shard: { billing_account: 'shard_one' } },
  targets: (ctx) =>
    ctx.config.billing.accounts
      .filter((a) => a.statement)
      .map((a): Target => ({ id: a.name, kind: 'billing_account' })),
  settings: (config, t) => {
    const st = accountOf({ config }, t.id).statement as NonNullable<BillingAccount['statement']>;
    return { enabled: true, intervalMs: st.intervalMs, maxStalenessMs: st.maxStalenessMs };
  },
  async fetch(ctx, t): Promise<FetchResult<StatementData>> {
    const a = accountOf(ctx, t.id);
    const st = a.statement as NonNullable<BillingAccount['statement']>;
    const deps = billingDeps(ctx);
    const provider = statementProvider(a);
    let text: string;
    if (st.file) {
      try {
        text = await readFile(st.file, 'utf8');
      } catch (err) {
        deps.http.observer?.billingFailure(provider, 'io');
        throw new BillingError(
          `cannot read statement file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
          provider,
          'io',
        );
      }
    } else
      text = await fetchText(
        provider,
        { url: st.url as string, headers: st.headers, timeoutMs: st.timeoutMs },
        deps.http,
      );
    const rows: StatementRow[] = counted(deps, provider, () => parseStatement(provider, text, st.format, a.currency));
    const { totals, added } = deps.ledger.apply(a.name, rows);
    if (added > 0) ctx.logger.debug({ account: a.name, added }, 'new statement rows');
    return { data: { account: a.name, totals, rows: rows.length }, unknown: [] };
  },
};
