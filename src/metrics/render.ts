import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Family, Labels, Samples } from './family.js';

/** Series per prom-client rendering: bounds peak memory and how long one step blocks the event loop. */
export const CHUNK = 5_000;

/**
 * Formats samples with prom-client (it owns escaping and number formatting). A large family is
 * rendered in chunks, each in a throw-away registry; the # HELP / # TYPE header of every chunk
 * after the first is dropped, so the family stays one contiguous block. Between chunks the event
 * loop is free to answer scrapes. Duplicate label sets within a chunk collapse to one series.
 */
export async function renderSamples(samples: Samples): Promise<string> {
  const out: string[] = [];
  for (const [f, list] of samples.byFamily) {
    for (let i = 0; i < list.length; i += CHUNK) {
      const text = await renderChunk(f, list.slice(i, i + CHUNK));
      out.push(i === 0 ? text : dropHeader(text));
      if (list.length > CHUNK) await yieldToLoop();
    }
  }
  return out.join('');
}

async function renderChunk(f: Family, list: Array<{ labels: Labels; value: number }>): Promise<string> {
  const registry = new Registry();
  const opts = { name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [registry] };
  if (f.type === 'counter') {
    const m = new Counter(opts);
    for (const s of list) m.inc(s.labels, s.value);
  } else {
    const m = new Gauge(opts);
    for (const s of list) m.set(s.labels, s.value);
  }
  return registry.metrics();
}

function dropHeader(text: string): string {
  let i = 0;
  while (text.startsWith('#', i)) i = text.indexOf('\n', i) + 1;
  return text.slice(i);
}
