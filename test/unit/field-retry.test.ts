import { describe, expect, it } from 'vitest';
import { GraphError } from '../../src/sources/graph/errors.js';
import { getWithFields, type FieldPlan } from '../../src/sources/graph/field-retry.js';
import { FieldSupport } from '../../src/sources/graph/field-support.js';
import { ManualClock } from '../../src/util/clock.js';

const OPTIONAL = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const plan: FieldPlan = {
  source: 'graph_accounts',
  nodes: [{ node: 'phone_number', core: ['id'], optional: OPTIONAL }],
  format: (c) => (c.get('phone_number') ?? []).join(','),
};

/** A Graph that rejects these fields with error 100, naming them or not. */
function graph(rejected: readonly string[], named: boolean) {
  const calls: string[] = [];
  return {
    calls,
    request: async (fields: string) => {
      calls.push(fields);
      const bad = fields.split(',').find((f) => rejected.includes(f));
      if (bad)
        throw new GraphError(
          named
            ? `(#100) Tried accessing nonexisting field (${bad}) on node type (WhatsAppBusinessPhoneNumber)`
            : '(#100) Invalid parameter',
          { endpoint: 'x', reason: 'http_4xx', retryable: false, code: 100, status: 400 },
        );
      return { fields };
    },
  };
}

describe('getWithFields', () => {
  it('named rejections: one retry per field, then the rest is asked', async () => {
    const support = new FieldSupport(new ManualClock(), 3_600_000);
    const g = graph(['c', 'g'], true);
    const r = await getWithFields(support, 'v24.0', plan, g.request);
    expect(r.raw).toEqual({ fields: 'id,a,b,d,e,f,h' });
    expect(g.calls).toHaveLength(3);
    expect(r.asked('phone_number', 'c')).toBe(false);
    expect(r.asked('phone_number', 'a')).toBe(true);
  });

  it('unnamed rejections: found by halves (two culprits in 8 fields in far fewer calls than one per field)', async () => {
    const support = new FieldSupport(new ManualClock(), 3_600_000);
    const g = graph(['b', 'h'], false);
    const r = await getWithFields(support, 'v24.0', plan, g.request);
    expect(r.raw).toEqual({ fields: 'id,a,c,d,e,f,g' });
    expect(support.isRejected('v24.0', 'phone_number', 'b')).toBe(true);
    expect(support.isRejected('v24.0', 'phone_number', 'h')).toBe(true);
    expect(support.isRejected('v24.0', 'phone_number', 'a')).toBe(false);
    expect(g.calls.length).toBeLessThanOrEqual(10);
    // Remembered: the next request asks without them at once.
    const again = graph(['b', 'h'], false);
    await getWithFields(support, 'v24.0', plan, again.request);
    expect(again.calls).toEqual(['id,a,c,d,e,f,g']);
  });

  it('the core alone rejected: the original error, nothing marked', async () => {
    const support = new FieldSupport(new ManualClock(), 3_600_000);
    const g = graph(['id'], false);
    await expect(getWithFields(support, 'v24.0', plan, g.request)).rejects.toThrow('Invalid parameter');
    expect(OPTIONAL.some((f) => support.isRejected('v24.0', 'phone_number', f))).toBe(false);
  });

  it('re-checked after the period, per API version', async () => {
    const clock = new ManualClock();
    const support = new FieldSupport(clock, 3_600_000);
    await getWithFields(support, 'v24.0', plan, graph(['a'], true).request);
    expect(support.usable('v24.0', 'phone_number', OPTIONAL)).not.toContain('a');
    expect(support.usable('v25.0', 'phone_number', OPTIONAL)).toContain('a');
    clock.advance(3_600_000);
    const g = graph([], true);
    await getWithFields(support, 'v24.0', plan, g.request);
    expect(g.calls).toEqual(['id,a,b,c,d,e,f,g,h']);
    expect(support.isRejected('v24.0', 'phone_number', 'a')).toBe(false);
  });
});
