import { MAX_PAGES } from '../../config/defaults.js';
import type { Credential } from '../../config/config.js';
import type { GraphClient, GraphRequest } from './client.js';
import { parseError, tooLargeError } from './errors.js';
import type { z } from 'zod';

/** An edge as Graph returns it, top-level or nested through field expansion. */
export interface Edge {
  data?: unknown;
  paging?: { next?: unknown; cursors?: { after?: unknown } | null } | null;
}

export const asEdge = (v: unknown): Edge | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Edge) : undefined;

/**
 * Turns a paging.next URL into a request for the same path with the same query (minus any
 * access_token Meta may echo back), so follow-up pages also go through the batcher.
 */
export function nextRequest(next: string, endpoint: string): GraphRequest | undefined {
  let u: URL;
  try {
    u = new URL(next);
  } catch {
    return undefined;
  }
  const path = u.pathname.replace(/^\/+/, '').replace(/^v\d+\.\d+\//, '');
  const params: Record<string, string> = {};
  for (const [k, v] of u.searchParams) if (k !== 'access_token') params[k] = v;
  return { path, params, endpoint };
}

/**
 * Collects every item of an edge, following paging.next. Upstream paging loops end in a counted
 * parse error: a cursor that repeats, or a page whose items were all read already (a cursor that
 * is new every time but serves the same page: comparing cursors alone spent 500 calls on it). A
 * refresh reads at most its page budget (GraphClient.nextPage), else `too_large`. With `shape`, every follow-up page
 * must match it (a counted schema failure otherwise).
 */
export async function collectPages(
  client: GraphClient,
  cred: Credential,
  first: Edge,
  endpoint: string,
  shape?: z.ZodType<Edge>,
): Promise<unknown[]> {
  return (await collectPagesUpTo(client, cred, first, endpoint, Number.POSITIVE_INFINITY, shape)).items;
}

/**
 * collectPages that stops asking for pages once it holds more than `max` items: a bounded list
 * costs a bounded number of calls. `more`: items were left upstream (a next page was not read).
 */
export async function collectPagesUpTo(
  client: GraphClient,
  cred: Credential,
  first: Edge,
  endpoint: string,
  max: number,
  shape?: z.ZodType<Edge>,
): Promise<{ items: unknown[]; more: boolean }> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  const ids = new Set<string>();
  const loop = (what: string) => client.counted(parseError(endpoint, 200, what));
  let page: Edge | undefined = first;
  for (let n = 0; page; n++) {
    const data = Array.isArray(page.data) ? page.data : [];
    const repeated = n > 0 && readBefore(data, ids);
    for (const item of data) {
      const id = idOf(item);
      if (id !== undefined) ids.add(id);
    }
    items.push(...data);
    const next = typeof page.paging?.next === 'string' ? page.paging.next : undefined;
    if (!next) break;
    if (items.length > max) return { items, more: true };
    const cursor = typeof page.paging?.cursors?.after === 'string' ? page.paging.cursors.after : next;
    if (seen.has(cursor)) throw loop('paging cursor repeats (upstream paging loop)');
    if (repeated) throw loop('a page repeats items already read (upstream paging loop)');
    // Without a refresh's page budget (a caller outside the poller), the absolute stop.
    if (n + 1 >= MAX_PAGES) throw client.counted(tooLargeError(endpoint, `more than ${MAX_PAGES} pages`));
    seen.add(cursor);
    const req = nextRequest(next, endpoint);
    if (!req) throw loop('paging.next is not a URL');
    const raw = await client.nextPage(cred, req);
    // Follow-up pages are checked like the first (which the caller checked): a page of another shape fails the listing.
    page = shape ? client.expectShape(endpoint, shape, raw) : asEdge(raw);
  }
  return { items, more: false };
}

/** A non-empty page whose items all carry an id already read: the same page again. */
function readBefore(data: readonly unknown[], ids: ReadonlySet<string>): boolean {
  if (data.length === 0) return false;
  for (const item of data) {
    const id = idOf(item);
    if (id === undefined || !ids.has(id)) return false;
  }
  return true;
}

const idOf = (item: unknown): string | undefined => {
  const id = item !== null && typeof item === 'object' ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
};
