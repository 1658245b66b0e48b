import { credentialFor, graphCredential } from '../credentials.js';
import { ACCOUNTS, LIMITS, TOKEN } from '../keys.js';
import type { FetchResult, SourceDef, Target } from '../types.js';
import { knownWabas, portfolioDirectory } from './discovered.js';
import type { UnknownEnum } from './enums.js';
import { getWithFields } from './field-retry.js';
import { hasPortfolioLimit, limitsPlan } from './fields.js';
import { type LimitData, UNKNOWN_OWNER } from './model.js';
import { parseBusinessLimit } from './parse.js';
import { BUSINESS_LIMIT } from './schema.js';

/**
 * graph_limits: the portfolio's messaging limit (whatsapp_business_manager_messaging_limit on
 * the business node, v24.0+). Before v24.0 there is nothing to ask: the collector falls back to
 * the deprecated per-number messaging_limit_tier from graph_accounts.
 */
export const limitsSource: SourceDef<LimitData> = {
  key: LIMITS,
  traits: {
    // A business known only through a listed WABA: only the shard polling that WABA knows it.
    shard: { business: 'by_id', business_via_waba: 'every_shard' },
    reads: [ACCOUNTS],
    onAuthFailure: TOKEN,
    usageFeedback: true,
  },
  settings: (config) => config.sources.graph_limits,
  targets(ctx) {
    const out = new Map<string, Target>();
    for (const b of ctx.config.businesses)
      out.set(b.id, { id: b.id, credential: credentialFor(ctx, b.credential), kind: 'business' });
    if (ctx.shard.sharded) {
      // Sharded: the business of every listed WABA, owned here or not; the poller keeps those whose id hashes here.
      for (const [businessId, credential] of portfolioDirectory(ctx).credentials)
        if (!out.has(businessId)) out.set(businessId, { id: businessId, credential, kind: 'business' });
    }
    // A business known only through an explicitly listed WABA: only the shard polling that WABA knows it.
    for (const w of knownWabas(ctx))
      if (w.businessId && w.businessId !== UNKNOWN_OWNER && !out.has(w.businessId))
        out.set(w.businessId, { id: w.businessId, credential: w.credential, kind: 'business_via_waba' });
    return [...out.values()];
  },
  async fetch(ctx, target): Promise<FetchResult<LimitData>> {
    const unknown: UnknownEnum[] = [];
    let data: LimitData = { businessId: target.id };
    const version = ctx.config.graph.api_version;
    if (hasPortfolioLimit(version)) {
      const { raw } = await getWithFields(ctx.fields, version, limitsPlan(version), (fields) =>
        ctx.graph.get(graphCredential(target), { path: target.id, params: { fields }, endpoint: 'business' }),
      );
      data = parseBusinessLimit(ctx.graph.expectShape('business', BUSINESS_LIMIT, raw), target.id, unknown);
    }
    // Sharded: the collectors' per-WABA fallback only sees this shard's WABAs; use the whole listing's.
    const hint = ctx.shard.sharded && !data.tier ? portfolioDirectory(ctx).tiers.get(target.id) : undefined;
    return { data: hint ? { ...data, tier: hint } : data, unknown };
  },
};
