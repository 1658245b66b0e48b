import { isLinkUrl, NAME_PATTERN } from '../config/fields.js';
import { readBalance, parseJson } from './balance.js';
import type { BillingAccount } from './account.js';
import type { BalanceReading, BulkBalanceData, BulkItem, BulkSkip } from './data.js';
import { BillingError } from './errors.js';
import { getPath } from './json-path.js';
import type { HttpBalanceSettings } from './settings.js';

export interface ParsedBulk {
  readonly items: ReadonlyArray<{ account: string; reading: BalanceReading; businessId?: string }>;
  readonly skipped: Record<BulkSkip, number>;
  /** Names seen more than once (or taken by a configured account), for the log: the first wins. */
  readonly duplicates: readonly string[];
  /** Why items were invalid, a few examples for the log (never the whole answer). */
  readonly invalid: readonly string[];
}

/** Account names become label values: the configured-name rule, and no longer than this. */
const MAX_NAME = 64;
const EXAMPLES = 5;

/**
 * Pure: a bulk answer → one balance per item. The answer fails as a whole (a BillingError with a
 * reason) when it is not JSON, the items are not a list, or there are more than `maxItems`; an item
 * fails on its own (counted, the rest kept) when its name is missing or not a valid account name,
 * its balance is missing or not a number, or its name is already taken (`taken`: configured accounts).
 */
export function parseBulk(
  provider: string,
  body: string,
  s: HttpBalanceSettings,
  fallbackCurrency: string | undefined,
  taken: ReadonlySet<string>,
): ParsedBulk {
  const bulk = s.bulk;
  if (!bulk) throw new BillingError('not a bulk account', provider, 'parse');
  const json = parseJson(provider, body);
  // The success check is on the whole answer; the paths below are per item.
  if (s.successPath !== undefined && getPath(json, s.successPath) !== s.successValue)
    throw new BillingError(`success check failed at ${s.successPath}`, provider, 'upstream_error');
  const perItem = { ...s, successPath: undefined };
  const list = getPath(json, bulk.itemsPath);
  if (!Array.isArray(list))
    throw new BillingError(
      `items_path ${bulk.itemsPath} is not a list`,
      provider,
      list === undefined ? 'missing_field' : 'parse',
    );
  if (list.length > bulk.maxItems)
    throw new BillingError(
      `the answer lists ${list.length} wallets, more than max_items (${bulk.maxItems}): raise max_items or split the endpoint`,
      provider,
      'too_many_items',
    );
  const items: Array<{ account: string; reading: BalanceReading; businessId?: string }> = [];
  const skipped: Record<BulkSkip, number> = { invalid: 0, duplicate: 0 };
  const duplicates: string[] = [];
  const invalid: string[] = [];
  const seen = new Set(taken);
  list.forEach((item, i) => {
    const name = getPath(item, bulk.namePath);
    if (typeof name !== 'string' || name.length > MAX_NAME || !NAME_PATTERN.test(name)) {
      skipped.invalid += 1;
      if (invalid.length < EXAMPLES) invalid.push(`item ${i}: no valid name at ${bulk.namePath}`);
      return;
    }
    if (seen.has(name)) {
      skipped.duplicate += 1;
      if (duplicates.length < EXAMPLES) duplicates.push(name);
      return;
    }
    let reading: BalanceReading;
    try {
      reading = readBalance(provider, item, perItem, fallbackCurrency);
    } catch (err) {
      skipped.invalid += 1;
      if (invalid.length < EXAMPLES) invalid.push(`${name}: ${(err as Error).message}`);
      return;
    }
    seen.add(name);
    const business = bulk.businessIdPath === undefined ? undefined : getPath(item, bulk.businessIdPath);
    const businessId = typeof business === 'string' || typeof business === 'number' ? String(business) : undefined;
    items.push({ account: name, reading, ...(businessId && /^[0-9]{1,32}$/.test(businessId) ? { businessId } : {}) });
  });
  return { items, skipped, duplicates, invalid };
}

/**
 * The accounts a bulk entry stands for, as configured accounts (for collectors and the page): the
 * entry's thresholds and currency, its links with `{name}` replaced by the item's name (URL-encoded),
 * and the item's portfolio. Pure.
 */
export function bulkAccounts(group: BillingAccount, items: readonly BulkItem[]): BillingAccount[] {
  // The template was checked as a link (config/fields.ts) and the name is URL-encoded, so the result
  // is one too; checked again because it is published, and a link that is not one is left out.
  const link = (template: string, name: string) => {
    const url = template.replaceAll('{name}', encodeURIComponent(name));
    return url !== '' && isLinkUrl(url) ? url : '';
  };
  return items.map((i) => ({
    name: i.account,
    provider: group.provider,
    intervalMs: group.intervalMs,
    maxStalenessMs: group.maxStalenessMs,
    currency: group.currency,
    thresholds: group.thresholds,
    links: {
      topUp: link(group.links.topUp, i.account),
      payment: link(group.links.payment, i.account),
      rateCard: link(group.links.rateCard, i.account),
    },
    businessIds: i.businessId ? [i.businessId] : [],
    wabaIds: [],
  }));
}

/**
 * The wallets of every bulk entry, in config order, each name once across entries and configured
 * accounts (two entries listing the same wallet would export its balance twice): a later repeat is
 * left out and counted with the entry's duplicates. Collectors, the page and the spend history
 * all read wallets through this, so they agree on which wallet a name means.
 */
export function bulkWallets(
  accounts: readonly BillingAccount[],
  fresh: ReadonlyArray<{ data: BulkBalanceData }>,
): Array<{ group: BillingAccount; items: BulkItem[]; skipped: Record<BulkSkip, number> }> {
  const byGroup = new Map(fresh.map((f) => [f.data.group, f.data]));
  const seen = new Set(accounts.filter((a) => !a.http?.bulk).map((a) => a.name));
  const out: Array<{ group: BillingAccount; items: BulkItem[]; skipped: Record<BulkSkip, number> }> = [];
  for (const group of accounts) {
    const data = group.http?.bulk ? byGroup.get(group.name) : undefined;
    if (!data) continue;
    const skipped = { ...data.skipped };
    const items = data.items.filter((i) => {
      if (!seen.has(i.account)) return seen.add(i.account);
      skipped.duplicate += 1;
      return false;
    });
    out.push({ group, items, skipped });
  }
  return out;
}
