import { describe, expect, it } from 'vitest';
import { generatePopulation, type PopulationOptions } from '../../src/sandbox/index.js';

const BENCH: PopulationOptions = { phoneNumbers: 10_000, wabas: 2_000, businesses: 200, templatesPerWaba: 4, seed: 1 };
const SMALL: PopulationOptions = { phoneNumbers: 3, wabas: 2, businesses: 1, templatesPerWaba: 4, seed: 1 };

describe('generatePopulation', () => {
  it('builds the bench population with even distribution (counts, not time: speed is for the bench)', () => {
    const pop = generatePopulation(BENCH);
    expect(pop.phones).toHaveLength(10_000);
    expect(pop.wabas).toHaveLength(2_000);
    expect(pop.businesses).toHaveLength(200);
    expect(pop.wabas.every((w) => w.phoneIds.length === 5)).toBe(true);
    expect(pop.businesses.every((b) => b.owned.length === 10)).toBe(true);
    expect(pop.wabas.every((w) => w.templates.length === 4)).toBe(true);
    const ids = [
      ...pop.phones.map((p) => p.wire.id),
      ...pop.wabas.map((w) => w.wire.id),
      ...pop.businesses.map((b) => b.wire.id),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^\d{15}$/.test(id))).toBe(true);
  });

  it('is deterministic for a seed and varies with it', () => {
    // Compared as text: a deep toEqual over 20,000 objects is slow and says nothing more.
    expect(JSON.stringify(generatePopulation(BENCH))).toBe(JSON.stringify(generatePopulation(BENCH)));
    const a = generatePopulation({ ...BENCH, wabas: 100, seed: 1 }).wabas.map((w) => w.wire.currency);
    const b = generatePopulation({ ...BENCH, wabas: 100, seed: 2 }).wabas.map((w) => w.wire.currency);
    expect(a).not.toEqual(b);
  });

  it('places the rare values the exporter must handle', () => {
    const pop = generatePopulation(BENCH);
    const quality = count(pop.phones.map((p) => p.wire.quality_rating));
    expect(quality.NA).toBe(1);
    expect(quality.YELLOW).toBeGreaterThan(0);
    expect(quality.GREEN).toBeGreaterThan(quality.YELLOW!);
    expect(count(pop.phones.map((p) => p.wire.status)).CONNECTED).toBeGreaterThan(9_000);
    expect(count(pop.businesses.map((b) => b.wire.whatsapp_business_manager_messaging_limit)).UNTIERED).toBe(1);
    const statuses = count(pop.wabas.flatMap((w) => w.templates.map((t) => t.wire.status)));
    expect([statuses.PAUSED, statuses.REJECTED, statuses.PENDING]).toEqual([1, 1, 1]);
    const currencies = count(pop.wabas.map((w) => w.wire.currency));
    expect(currencies.USD).toBeGreaterThan(1_000);
    expect(Object.keys(currencies).sort()).toEqual(['BRL', 'EUR', 'INR', 'USD']);
    const displays = pop.phones.map((p) => p.wire.display_phone_number);
    expect(displays.some((d) => /^\+1 555-\d{3}-\d{4}$/.test(d))).toBe(true);
    expect(displays.some((d) => /^1555\d{7}$/.test(d))).toBe(true);
  });

  it('default size shows variety and keeps index 0 plain for the demo', () => {
    const pop = generatePopulation(SMALL);
    expect(pop.phones.map((p) => p.wire.quality_rating)).toEqual(['GREEN', 'YELLOW', 'NA']);
    expect(pop.businesses[0]!.wire.whatsapp_business_manager_messaging_limit).toBe('TIER_10K');
    expect(pop.wabas[0]!.templates[0]!.wire).toMatchObject({ category: 'MARKETING', status: 'APPROVED' });
    expect(pop.wabas[1]!.templates.map((t) => t.wire.status)).toEqual(['APPROVED', 'PAUSED', 'REJECTED', 'PENDING']);
    expect(pop.wabas[0]!.wire.name).toBe('Acme Retail 1 Support');
    expect(pop.phones.every((p) => p.wire.platform_type === 'CLOUD_API')).toBe(true);
  });

  it('rejects impossible shapes', () => {
    expect(() => generatePopulation({ ...SMALL, wabas: 0 })).toThrow(RangeError);
    expect(() => generatePopulation({ ...SMALL, businesses: 0 })).toThrow(RangeError);
    expect(() => generatePopulation({ ...SMALL, phoneNumbers: -1 })).toThrow(RangeError);
  });
});

function count(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
