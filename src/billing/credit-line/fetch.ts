import type { Credential } from '../../config/config.js';
import { MAX_CREDIT_LINE_ALLOCATIONS } from '../../config/defaults.js';
import type { GraphClient } from '../../sources/graph/client.js';
import { asEdge, collectPages, collectPagesUpTo } from '../../sources/graph/paging.js';
import type { CreditLineSettings } from '../settings.js';
import { pickLine } from './parse.js';

/**
 * The fields of a line the exporter reads (BILLING-APIS §13): the amounts are CurrencyAmount
 * objects. https://developers.facebook.com/docs/marketing-api/reference/extended-credit/
 */
export const LINE_FIELDS =
  'id,credit_type,balance,credit_available,max_balance,online_max_balance,allocated_amount,is_access_revoked,owner_business_name';
/** An allocation config: its id, who receives the share, and whether it is still active. */
export const ALLOCATION_FIELDS = 'id,receiving_business{id},request_status';
const ALLOCATION_PAGE = 100;
/** Meta usually gives one line per business; a page of 25 finds the "several lines" case at once. */
const LINE_PAGE = 25;

export interface RawCreditLine {
  readonly line: unknown;
  /** `owning_credit_allocation_configs` items, read until more than the bound. */
  readonly allocations: readonly unknown[];
  /** Shares were left unread upstream (more than the bound). */
  readonly more: boolean;
}

/**
 * Reads one credit line and its shares through the Graph client, so the calls are batched, their
 * usage headers feed the budget, and failures are GraphErrors with reasons. Two sub-requests per
 * refresh (plus a page per 100 shares beyond the first 100), issued together so they share one
 * batch (with whatever else is due):
 * - with `credit_line_id`: the line node and its allocation configs;
 * - without: the business's `extendedcredits` listing with the line's fields (Graph returns the
 *   requested fields on edge items, so the line costs no call of its own) and the configs of the
 *   line found last time (`knownLineId`). Only on the first refresh, or when the business's line
 *   changed, are the configs read after the listing: one more sub-request.
 */
export async function readCreditLine(
  graph: GraphClient,
  cred: Credential,
  s: CreditLineSettings,
  knownLineId?: string,
): Promise<RawCreditLine> {
  if (s.creditLineId !== undefined) {
    const [line, shares] = await Promise.all([
      graph.get(cred, { path: s.creditLineId, params: { fields: LINE_FIELDS }, endpoint: 'credit_line' }),
      readAllocations(graph, cred, s.creditLineId),
    ]);
    return { line, ...shares };
  }
  const [listed, known] = await Promise.allSettled([
    listLines(graph, cred, s.businessId),
    knownLineId === undefined ? Promise.resolve(undefined) : readAllocations(graph, cred, knownLineId),
  ]);
  if (listed.status === 'rejected') throw listed.reason;
  const line = pickLine(listed.value, s.businessId);
  const id = (line as { id?: unknown } | null)?.id;
  // parseCreditLine reports a line without a usable id; without one there is nothing more to ask.
  if (typeof id !== 'string' || !/^\d{1,32}$/.test(id)) return { line, allocations: [], more: false };
  if (id === knownLineId) {
    if (known.status === 'rejected') throw known.reason;
    if (known.value) return { line, ...known.value };
  }
  return { line, ...(await readAllocations(graph, cred, id)) };
}

async function listLines(graph: GraphClient, cred: Credential, businessId: string): Promise<unknown[]> {
  const first = await graph.get(cred, {
    path: `${businessId}/extendedcredits`,
    params: { fields: LINE_FIELDS, limit: String(LINE_PAGE) },
    endpoint: 'extendedcredits',
  });
  return collectPages(graph, cred, asEdge(first) ?? {}, 'extendedcredits');
}

async function readAllocations(
  graph: GraphClient,
  cred: Credential,
  lineId: string,
): Promise<{ allocations: unknown[]; more: boolean }> {
  const endpoint = 'credit_allocations';
  const first = await graph.get(cred, {
    path: `${lineId}/owning_credit_allocation_configs`,
    params: { fields: ALLOCATION_FIELDS, limit: String(ALLOCATION_PAGE) },
    endpoint,
  });
  const { items, more } = await collectPagesUpTo(
    graph,
    cred,
    asEdge(first) ?? {},
    endpoint,
    MAX_CREDIT_LINE_ALLOCATIONS,
  );
  return { allocations: items, more };
}
