import { parseMoney, toNumber } from '../../billing/money.js';
import { graphCredential } from '../credentials.js';
import { ACCOUNTS, PRICING, TOKEN } from '../keys.js';
import type { FetchResult, SourceDef } from '../types.js';
import { wabaTargets } from './discovered.js';
import type { PricingData, PricingPoint } from './model.js';
import { PRICING as PRICING_SHAPE } from './schema.js';

const HALF_HOUR = 1_800;

/** pricing_analytics as a field with modifiers (META-API §3.3); dimensions are a JSON array. */
export function pricingField(start: number, end: number, granularity: string, dimensions: string[]): string {
  return `pricing_analytics.start(${start}).end(${end}).granularity(${granularity}).dimensions(${JSON.stringify(dimensions)})`;
}

/**
 * Pure: sums the data points of a pricing_analytics answer per (category, type). Meta returns
 * `pricing_analytics.data[].data_points[]`; unknown categories pass through (lower-cased).
 */
export function sumPricing(raw: unknown): PricingPoint[] {
  const pa = (raw as { pricing_analytics?: { data?: unknown } } | null)?.pricing_analytics;
  // Costs are summed as exact decimals: hundreds of float buckets would drift (9.599999999999998).
  const sums = new Map<string, { category: string; type: string; volume: number; cost?: bigint }>();
  for (const d of Array.isArray(pa?.data) ? pa.data : []) {
    for (const p of Array.isArray((d as { data_points?: unknown })?.data_points)
      ? (d as { data_points: unknown[] }).data_points
      : []) {
      const o = p as Record<string, unknown>;
      const category = typeof o.pricing_category === 'string' ? o.pricing_category.toLowerCase() : '';
      const type = typeof o.pricing_type === 'string' ? o.pricing_type.toLowerCase() : '';
      const k = `${category}\u0000${type}`;
      const s = sums.get(k) ?? { category, type, volume: 0 };
      if (typeof o.volume === 'number' && Number.isFinite(o.volume)) s.volume += o.volume;
      const cost = parseMoney(o.cost);
      if (cost !== undefined) s.cost = (s.cost ?? 0n) + cost;
      sums.set(k, s);
    }
  }
  return [...sums.values()].map((s) => ({
    category: s.category,
    type: s.type,
    volume: s.volume,
    cost: s.cost === undefined ? undefined : toNumber(s.cost),
  }));
}

/**
 * graph_pricing: Meta's own cost and volume per WABA (approximate and delayed: polled hourly).
 * Two batched sub-requests per WABA: half-hour buckets for the last 24 h, and the month so far.
 * Windows end at a half-hour boundary so a refresh asks for settled buckets.
 */
export const pricingSource: SourceDef<PricingData> = {
  key: PRICING,
  // Two sub-requests per refresh, both charged to the WABA.
  traits: {
    shard: { waba: 'by_id' },
    wabaCost: { calls: 2, wabas: 'every' },
    reads: [ACCOUNTS],
    onAuthFailure: TOKEN,
    usageFeedback: true,
  },
  targets: wabaTargets,
  settings: (config) => config.billing.metaPricing,
  async fetch(ctx, t, previous): Promise<FetchResult<PricingData>> {
    const now = Math.floor(ctx.clock.now() / 1000);
    const end = now - (now % HALF_HOUR);
    const d = new Date(now * 1000);
    const monthStart = Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000);
    const cred = graphCredential(t);
    const [day, month] = await Promise.all([
      ctx.graph.get(cred, {
        path: t.id,
        params: { fields: pricingField(end - 86_400, end, 'HALF_HOUR', ['PRICING_CATEGORY', 'PRICING_TYPE']) },
        endpoint: 'pricing_analytics',
      }),
      ctx.graph.get(cred, {
        path: t.id,
        params: { fields: pricingField(monthStart, Math.max(end, monthStart + 1), 'MONTHLY', ['PRICING_CATEGORY']) },
        endpoint: 'pricing_analytics',
      }),
    ]);
    const checked = [day, month].map((raw) => ctx.graph.expectShape('pricing_analytics', PRICING_SHAPE, raw));
    // Meta leaves pricing_analytics out when it has nothing to report (no billable traffic in the
    // window, or costs hidden for a WABA a partner pays for): no series, said once in the log.
    const absent = checked.every((c) => c.pricing_analytics == null);
    if (absent && !previous?.absent)
      ctx.logger.info(
        { source: PRICING.name, target: t.id },
        'pricing_analytics absent from the answer: no pricing series for this WABA until Meta reports some',
      );
    let currency = '';
    for (const { data } of ctx.read(ACCOUNTS)) {
      const w = data.wabas.find((x) => x.id === t.id);
      if (w) currency = w.currency;
    }
    return {
      data: {
        wabaId: t.id,
        businessId: t.businessId ?? '',
        currency,
        last24h: sumPricing(day),
        monthToDate: sumPricing(month),
        ...(absent ? { absent } : {}),
      },
      unknown: [],
    };
  },
};
