import { Counter, Gauge, Registry } from 'prom-client';
import type { Samples } from './family.js';

/**
 * Formats samples with prom-client (it owns escaping and number formatting), one family at a
 * time in a throw-away registry so peak memory is one family, not the whole exposition.
 * Duplicate label sets (an upstream id listed twice) collapse to one series, last value wins.
 */
export async function renderSamples(samples: Samples): Promise<string> {
  let out = '';
  for (const [f, list] of samples.byFamily) {
    const registry = new Registry();
    const m =
      f.type === 'counter'
        ? new Counter({ name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry] })
        : new Gauge({ name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry] });
    for (const s of list) {
      if (m instanceof Counter) m.inc(s.labels, s.value);
      else m.set(s.labels, s.value);
    }
    out += await registry.metrics();
  }
  return out;
}
