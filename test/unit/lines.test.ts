import { Counter, Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { counter, gauge, type Family, type Sample } from '../../src/metrics/family.js';
import { seriesLines } from '../../src/metrics/lines.js';
import { mulberry32 } from '../../src/util/random.js';

/** The oracle: what prom-client itself writes for the same samples (the renderer used it until it cost a GB per render). */
async function promClientLines(f: Family, list: readonly Sample[]): Promise<string> {
  const registry = new Registry();
  const opts = { name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry] };
  if (f.type === 'counter') {
    const c = new Counter(opts);
    for (const s of list) c.inc(s.labels, s.value);
  } else {
    const g = new Gauge(opts);
    for (const s of list) g.set(s.labels, s.value);
  }
  const text = await registry.getSingleMetricAsString(f.name);
  return `${text.split('\n').filter((l) => !l.startsWith('#')).join('\n')}\n`;
}

const VALUES = ['500000000000001', '', 'Acme Retail 1', '+1 555-010-0002', 'quote " inside', 'back\\slash', 'new\nline', 'ünïcødé 名前', 'a\\"b\\n', 'TIER_2K'];
const NUMBERS = [0, 1, -1, 3, 0.1, 1e21, 1.5e-7, 123456789.123, -0, Infinity, -Infinity, 2 ** 53, 0.30000000000000004];

describe('seriesLines', () => {
  it('writes exactly what prom-client writes, over random families, label values, numbers and duplicates', async () => {
    const rnd = mulberry32(20261126);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    for (let round = 0; round < 300; round++) {
      const names = ['business_id', 'waba_id', 'phone_number_id', 'status'].slice(0, Math.floor(rnd() * 5));
      const isCounter = rnd() < 0.4;
      const f = (isCounter ? counter : gauge)(`x_family_${round}${isCounter ? '_total' : ''}`, 'Help.', names);
      const list: Sample[] = [];
      for (let i = 0, n = 1 + Math.floor(rnd() * 30); i < n; i++) {
        // Few distinct values, so label sets repeat and duplicates are exercised.
        const labels = Object.fromEntries(names.map((k) => [k, pick(VALUES.slice(0, 3 + Math.floor(rnd() * 7)))]));
        let value = pick(NUMBERS);
        if (isCounter && (value < 0 || !Number.isFinite(value))) value = Math.abs(Number.isFinite(value) ? value : 7);
        list.push({ labels, value });
      }
      expect(seriesLines(f, list), `round ${round}`).toBe(await promClientLines(f, list));
    }
  });

  it('refuses what prom-client refuses: undeclared labels, non-numbers, counters going down', () => {
    const g = gauge('x_g', 'G.', ['a']);
    const c = counter('x_c_total', 'C.', ['a']);
    expect(() => seriesLines(g, [{ labels: { b: '1' }, value: 1 }])).toThrow(/label "b"/);
    expect(() => seriesLines(g, [{ labels: { a: '1' }, value: '1' as unknown as number }])).toThrow(/invalid value/);
    expect(() => seriesLines(c, [{ labels: { a: '1' }, value: -1 }])).toThrow(/invalid value/);
    expect(() => seriesLines(c, [{ labels: { a: '1' }, value: Infinity }])).toThrow(/invalid value/);
  });

  it('writes NaN the way the exposition format spells it', () => {
    expect(seriesLines(gauge('x_g', 'G.', []), [{ labels: {}, value: NaN }])).toBe('x_g NaN\n');
  });
});
