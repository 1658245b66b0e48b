import { ACCOUNTS, TOKEN } from '../keys.js';
import type { FetchResult, SourceContext, SourceDef, Target } from '../types.js';
import { credentialFor, graphCredential } from '../credentials.js';
import type { UnknownEnum } from './enums.js';
import type { z } from 'zod';
import { getWithFields } from './field-retry.js';
import { accountsPlan } from './fields.js';
import type { AccountsData, Via, WabaRecord } from './model.js';
import { collectPages } from './paging.js';
import { parseWaba } from './parse.js';
import { PHONE_PAGE, WABA, WABA_PAGE } from './schema.js';
import { splitListing } from './split.js';

const EDGES = { owned: 'owned_whatsapp_business_accounts', client: 'client_whatsapp_business_accounts' } as const;
type WabaShape = z.infer<typeof WABA>;

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
  async fetch(ctx, target, previous): Promise<FetchResult<AccountsData>> {
    const unknown: UnknownEnum[] = [];
    const cred = graphCredential(target);
    const version = ctx.config.graph.api_version;
    const plan = accountsPlan(version);
    /** One listing or node, with rejected optional fields left out (field-retry.ts) and its shape checked. */
    const first = async <T>(endpoint: string, path: string, shape: z.ZodType<T>, params: Record<string, string>) => {
      const answer = await getWithFields(ctx.fields, version, plan, (fields) =>
        ctx.graph.get(cred, { path, params: { ...params, fields }, endpoint }),
      );
      return {
        page: ctx.graph.expectShape(endpoint, shape, answer.raw),
        appsAsked: answer.asked('waba', 'subscribed_apps'),
      };
    };
    const listed: Array<{ raw: WabaShape; via: Via; appsAsked: boolean }> = [];
    if (target.kind === 'business') {
      const edges = target.discover ?? ['owned', 'client'];
      // Both edges' first pages are requested together so they share one batch call.
      const pages = await Promise.all(
        edges.map(async (via) => {
          const endpoint = EDGES[via];
          const { page, appsAsked } = await first(endpoint, `${target.id}/${endpoint}`, WABA_PAGE, {
            limit: String(ctx.config.graph.page_limit),
          });
          const items = await collectPages(ctx.graph, cred, page, endpoint, WABA_PAGE);
          return items.map((raw) => ({ raw: raw as WabaShape, via, appsAsked }));
        }),
      );
      listed.push(...pages.flat());
    } else {
      const { page, appsAsked } = await first('waba', target.id, WABA, {});
      listed.push({ raw: page, via: 'waba', appsAsked });
    }
    const wabas = new Map<string, WabaRecord>();
    await Promise.all(
      listed.map(async ({ raw, via, appsAsked }) => {
        const nested = raw.phone_numbers;
        const phones = nested?.paging?.next
          ? await collectPages(ctx.graph, cred, nested, 'phone_numbers', PHONE_PAGE)
          : (nested?.data ?? []);
        const listedBy = target.kind === 'business' ? { businessId: target.id, via } : undefined;
        const w = parseWaba(raw, phones, listedBy, unknown, appsAsked);
        if (!w) return;
        // A WABA can be both owned and shared as a client WABA: keep one (the owned one says who owns it).
        const prev = wabas.get(w.id);
        if (!prev || (prev.owner === 'unresolved' && w.owner !== 'unresolved')) wabas.set(w.id, w);
      }),
    );
    const unresolved = [...wabas.values()].filter((w) => w.owner === 'unresolved').length;
    // Logged when the count changes, not on every refresh; the gauge (kind="waba_owner") always says it.
    if (unresolved > 0 && unresolved !== (previous?.wabas.filter((w) => w.owner === 'unresolved').length ?? 0))
      ctx.logger.warn(
        { source: ACCOUNTS.name, target: target.id, wabas: unresolved },
        'WABAs without a resolvable owner (no owner_business_info, no on_behalf_of_business_info, not in an owned listing): exported with business_id="unknown"',
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
