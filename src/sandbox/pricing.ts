import type { WabaEntry } from './types.js';

/**
 * pricing_analytics for a sandbox WABA (META-API §3.3): a steady, deterministic traffic model per
 * half-hour bucket, so cost and volume graphs have shape and tests can compute expected values.
 */
const MODEL: ReadonlyArray<{ category: string; type: string; volume: number; price: number }> = [
  { category: 'MARKETING', type: 'REGULAR', volume: 40, price: 0.025 },
  { category: 'UTILITY', type: 'REGULAR', volume: 25, price: 0.004 },
  { category: 'UTILITY', type: 'FREE_CUSTOMER_SERVICE', volume: 10, price: 0 },
  { category: 'AUTHENTICATION', type: 'REGULAR', volume: 12, price: 0.0035 },
  { category: 'SERVICE', type: 'FREE_CUSTOMER_SERVICE', volume: 60, price: 0 },
];
const HALF_HOUR = 1_800;

/** Volume scale of one WABA (from its id, so it is stable). */
const scale = (w: WabaEntry) => 1 + (Number(w.wire.id.slice(-3)) % 5);

export function pricingAnalytics(w: WabaEntry, modifiers: Record<string, string>): Record<string, unknown> | undefined {
  const start = Number(modifiers.start);
  const end = Number(modifiers.end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return undefined;
  const granularity = (modifiers.granularity ?? 'DAILY').toUpperCase();
  let dims: string[] = [];
  try {
    dims = modifiers.dimensions
      ? (JSON.parse(modifiers.dimensions) as string[]).map((d) => String(d).toUpperCase())
      : [];
  } catch {
    dims = [];
  }
  const step = granularity === 'HALF_HOUR' ? HALF_HOUR : granularity === 'DAILY' ? 86_400 : end - start;
  const points: Record<string, unknown>[] = [];
  for (let b = start; b < end; b += step) {
    const e = Math.min(end, b + step);
    const buckets = (e - b) / HALF_HOUR;
    const groups = new Map<string, { volume: number; cost: number; category: string; type: string }>();
    for (const m of MODEL) {
      const category = dims.includes('PRICING_CATEGORY') ? m.category : '';
      const type = dims.includes('PRICING_TYPE') ? m.type : '';
      const k = `${category}|${type}`;
      const g = groups.get(k) ?? { volume: 0, cost: 0, category, type };
      const v = Math.round(m.volume * scale(w) * buckets);
      g.volume += v;
      g.cost += v * m.price;
      groups.set(k, g);
    }
    for (const g of groups.values()) {
      const p: Record<string, unknown> = {
        start: b,
        end: e,
        volume: g.volume,
        cost: Math.round(g.cost * 10_000) / 10_000,
      };
      if (g.category) p.pricing_category = g.category;
      if (g.type) p.pricing_type = g.type;
      points.push(p);
    }
  }
  return { data: [{ data_points: points }] };
}
