// whatsapp_exporter_unknown_enum_values_total: counted with the value (bounded, cleaned), once per
// object and value, so a number listed on every refresh is one count, not one per refresh.
import { describe, expect, it } from 'vitest';
import { SelfMetrics, UNKNOWN_VALUES_PER_FIELD } from '../../src/metrics/self.js';

async function counts(m: SelfMetrics): Promise<Record<string, number>> {
  const metric = await m.registry.getSingleMetric('whatsapp_exporter_unknown_enum_values_total')?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [`${String(v.labels.field)}=${String(v.labels.value)}`, v.value]),
  );
}

describe('unknown enum values', () => {
  it('once per object and value; the first values of a field keep their name, later ones are "other"', async () => {
    const m = new SelfMetrics({ version: '', revision: '' }, false);
    const listing = [
      { field: 'status', value: 'ON_HOLD', object: 'P1' },
      { field: 'status', value: 'ON_HOLD', object: 'P2' },
    ];
    m.unknownEnums(listing);
    m.unknownEnums(listing); // the next refresh lists the same numbers again
    m.unknownEnums([{ field: 'status', value: 'ON_HOLD', object: 'P1' }]);
    expect((await counts(m))['status=ON_HOLD']).toBe(2);
    for (let i = 0; i < UNKNOWN_VALUES_PER_FIELD + 3; i++)
      m.unknownEnums([{ field: 'health_status', value: `NEW_${i}`, object: 'P1' }]);
    const c = await counts(m);
    expect(Object.keys(c).filter((k) => k.startsWith('health_status=NEW_'))).toHaveLength(UNKNOWN_VALUES_PER_FIELD);
    expect(c['health_status=other']).toBe(3);
    // A value from upstream is cleaned before it becomes a label value.
    m.unknownEnums([{ field: 'quality_rating', value: 'RED"}\n', object: 'P9' }]);
    expect((await counts(m))['quality_rating=RED___']).toBe(1);
  });
});
