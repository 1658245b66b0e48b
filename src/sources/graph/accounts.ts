import { ACCOUNTS, TOKEN } from '../keys.js';
import type { FetchResult, SourceContext, SourceDef, Target } from '../types.js';
import { credentialFor, graphCredential } from '../credentials.js';
import type { UnknownEnum } from './enums.js';
import { wabaFields } from './fields.js';
import type { AccountsData, WabaRecord } from './model.js';
import { asEdge, collectPages } from './paging.js';
import { parseWaba } from './parse.js';
import { splitListing } from './split.js';

const EDGES = { owned: 'owned_whatsapp_business_accounts', client: 'client_whatsapp_business_accounts' } as const;

/**
 * graph_accounts: WABAs and their phone numbers. A business target lists its owned and client
 * WABAs with phone numbers expanded into the same call (about one call per 50 WABAs); an
 * explicitly configured WABA is one GET, and concurrent GETs are batched by the client.
 */
export const accountsSource: SourceDef<AccountsData> = {
  key: ACCOUNTS,
  traits: {
    // Every shard lists every portfolio (identity for webhooks and limits); a listed WABA is polled by its owner.
    shard: { business: 'every_shard', waba: 'by_id' },
    // A portfolio listing is charged to the business; an explicitly listed WABA is one GET on it.
    wabaCost: { calls: 1, wabas: 'explicit' },
    discovers: true,
    reads: [ACCOUNTS],
    onAuthFailure: TOKEN,
    usageFeedback: true,
  },
  targets(ctx) {
    const out = new Map<string, Target>();
    for (const b of ctx.config.businesses)
      out.set(b.id, { id: b.id, kind: 'business', credential: credentialFor(ctx, b.credential), discover: b.discover });
    for (const w of ctx.config.wabas)
      if (!out.has(w.id)) out.set(w.id, { id: w.id, kind: 'waba', credential: credentialFor(ctx, w.credential) });
    return [...out.values()];
  },
  settings: (config) => config.sources.graph_accounts,
  async fetch(ctx, target): Promise<FetchResult<AccountsData>> {
    const unknown: UnknownEnum[] = [];
    const fields = wabaFields(ctx.config.graph.api_version);
    const raws: unknown[] = [];
    if (target.kind === 'business') {
      const edges = (target.discover ?? ['owned', 'client']).map((d) => EDGES[d]);
      // Both edges' first pages are requested together so they share one batch call.
      const firsts = await Promise.all(
        edges.map((edge) =>
          ctx.graph.get(graphCredential(target), {
            path: `${target.id}/${edge}`,
            params: { fields, limit: String(ctx.config.graph.page_limit) },
            endpoint: edge,
          }),
        ),
      );
      const pages = await Promise.all(
        firsts.map((f, i) => collectPages(ctx.graph, graphCredential(target), asEdge(f) ?? {}, edges[i] as string)),
      );
      raws.push(...pages.flat());
    } else {
      raws.push(
        await ctx.graph.get(graphCredential(target), { path: target.id, params: { fields }, endpoint: 'waba' }),
      );
    }
    const wabas = new Map<string, WabaRecord>();
    await Promise.all(
      raws.map(async (raw) => {
        const nested = asEdge((raw as { phone_numbers?: unknown } | null)?.phone_numbers) ?? {};
        const phones = nested.paging?.next
          ? await collectPages(ctx.graph, graphCredential(target), nested, 'phone_numbers')
          : Array.isArray(nested.data)
            ? nested.data
            : [];
        const w = parseWaba(raw, phones, target.kind === 'business' ? target.id : '', unknown);
        // A WABA can be both owned and shared as a client WABA: keep one.
        if (w && !wabas.has(w.id)) wabas.set(w.id, w);
      }),
    );
    // Sharded: keep only this shard's WABAs, but the whole listing as identity (docs/sharding-and-budget.md, "Sharding").
    if (ctx.shard.sharded) {
      const shared = target.kind === 'business' ? undefined : sharedBusinesses(ctx);
      const owns = (id: string) => ctx.shard.owns(id);
      return {
        data: splitListing([...wabas.values()], owns, target.kind === 'business', shared && ((b) => shared.has(b))),
        unknown,
      };
    }
    return { data: { wabas: [...wabas.values()].sort((a, b) => a.id.localeCompare(b.id)) }, unknown };
  },
};

/** Businesses every shard knows: configured ones and those of every WABA a portfolio listing returned. */
function sharedBusinesses(ctx: SourceContext): Set<string> {
  const out = new Set(ctx.config.businesses.map((b) => b.id));
  for (const { data } of ctx.read(ACCOUNTS)) for (const d of data.directory ?? []) out.add(d.businessId);
  return out;
}
