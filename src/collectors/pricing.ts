import { parseMoney, toNumber } from '../billing/money.js';
import type { RateCard } from '../billing/rate-card.js';
import { gauge } from '../metrics/family.js';
import { metric } from '../metrics/names.js';
import { GrainSums } from './grain.js';
import type { Collector } from './types.js';
import { PRICING } from '../sources/keys.js';

const ID = ['business_id', 'waba_id', 'pricing_category'];
export const COST_24H = gauge(
  metric('pricing_cost_24h'),
  "Meta's approximate cost of the last 24 h (pricing_analytics), in the WABA's currency.",
  [...ID, 'currency'],
);
export const COST_MTD = gauge(
  metric('pricing_cost_month_to_date'),
  "Meta's approximate cost since the start of the month (UTC), in the WABA's currency.",
  [...ID, 'currency'],
);
export const VOLUME_24H = gauge(
  metric('pricing_volume_24h'),
  'Delivered messages of the last 24 h by pricing category and type (regular = billed; free_* = free).',
  [...ID, 'pricing_type'],
);
export const RATE = gauge(metric('rate_card_price'), 'Price per delivered message from the configured rate card.', [
  'market',
  'pricing_category',
  'currency',
]);

/**
 * Meta pricing analytics, read per WABA and summed to the configured grain (per portfolio by
 * default). Cost series only where Meta reports cost.
 */
export const pricingCollector: Collector = {
  name: 'pricing',
  sources: [PRICING],
  collect(view, out) {
    // One sum per family, flushed in the family order of a per-WABA rendering.
    const volume = new GrainSums(out);
    const cost = new GrainSums(out);
    const mtd = new GrainSums(out);
    for (const { data } of view.fresh(PRICING)) {
      const id = { business_id: data.businessId, waba_id: data.wabaId };
      const cost24 = new Map<string, bigint>();
      for (const p of data.last24h) {
        volume.add(VOLUME_24H, { ...id, pricing_category: p.category, pricing_type: p.type }, p.volume);
        const c = p.cost === undefined ? undefined : parseMoney(p.cost);
        if (c !== undefined) cost24.set(p.category, (cost24.get(p.category) ?? 0n) + c);
      }
      for (const [c, v] of cost24)
        cost.add(COST_24H, { ...id, pricing_category: c, currency: data.currency }, toNumber(v));
      for (const p of data.monthToDate)
        if (p.cost !== undefined)
          mtd.add(COST_MTD, { ...id, pricing_category: p.category, currency: data.currency }, p.cost);
    }
    volume.flush();
    cost.flush();
    mtd.flush();
  },
};

/** The configured rate card, re-rendered on config reload. */
export function rateCardCollector(card: () => RateCard | undefined): Collector {
  return {
    name: 'rate_card',
    sources: ['config'],
    collect(_view, out) {
      for (const p of card()?.prices ?? [])
        out.add(RATE, { market: p.market, pricing_category: p.category, currency: p.currency }, p.price);
    },
  };
}
