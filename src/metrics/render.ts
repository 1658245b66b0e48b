import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Family, Sample, Samples } from './family.js';

/** Series per prom-client rendering: bounds how long one step blocks the event loop. */
export const CHUNK = 5_000;

/**
 * Rendered text of each group from the previous rendering, reused while its signature holds.
 * Kept as Buffers: off the JS heap, so a large exposition does not slow every garbage collection.
 */
export type GroupCache = Map<string, { sig: string; text: Map<Family, Buffer> }>;

/** Signatures the cache can serve, for `new Samples(known)`. */
export const knownSignatures = (cache: GroupCache): Map<string, string> => new Map([...cache].map(([k, v]) => [k, v.sig]));

/**
 * Formats samples with prom-client (it owns escaping and number formatting; we only join its
 * output). Per family: the # HELP / # TYPE header once, then the series of ungrouped samples and of
 * every group. A group whose signature matches `cache` reuses its previous text; others are
 * rendered through one reusable metric per family, reset between groups. Between chunks the event
 * loop is free to answer scrapes. Duplicate label sets within a group collapse to one series.
 */
export async function renderSamples(samples: Samples, cache?: GroupCache): Promise<Buffer[]> {
  const next: GroupCache = new Map();
  const misses: string[] = [];
  for (const [key, g] of samples.groups) {
    const hit = cache?.get(key);
    if (hit && hit.sig === g.sig) next.set(key, hit);
    else if (g.reuse) throw new Error(`group ${key} was skipped but the cache has no text for it`);
    else {
      next.set(key, { sig: g.sig, text: new Map() });
      misses.push(key);
    }
  }
  // Families in order of first use; a reused group contributes the families it had last time.
  const families = [...samples.families];
  for (const [key, g] of samples.groups) {
    for (const f of g.reuse ? (next.get(key)?.text.keys() ?? []) : g.byFamily.keys()) if (!families.includes(f)) families.push(f);
  }

  const out: Buffer[] = [];
  let sinceYield = 0;
  const EMPTY = Buffer.alloc(0);
  for (const f of families) {
    const r = new Renderer(f);
    out.push(Buffer.from(`${await r.header()}\n`));
    const loose = samples.byFamily.get(f) ?? [];
    for (let i = 0; i < loose.length; i += CHUNK) {
      out.push(Buffer.from(await r.lines(loose.slice(i, i + CHUNK))));
      await yieldToLoop();
    }
    for (const key of misses) {
      const list = samples.groups.get(key)?.byFamily.get(f);
      if (list) (next.get(key) as { text: Map<Family, Buffer> }).text.set(f, Buffer.from(await r.lines(list)));
      sinceYield += list?.length ?? 0;
      if (sinceYield >= CHUNK) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
    for (const key of samples.groups.keys()) out.push(next.get(key)?.text.get(f) ?? EMPTY);
  }
  if (cache) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
  }
  // Parts, not one joined Buffer: the cached group buffers are sent as they are.
  return out.filter((b) => b.length > 0);
}

/** One reusable prom-client metric in its own registry, for one family. */
class Renderer {
  private readonly registry = new Registry();
  private readonly metric: Gauge | Counter;

  constructor(private readonly f: Family) {
    const opts = { name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [this.registry] };
    this.metric = f.type === 'counter' ? new Counter(opts) : new Gauge(opts);
  }

  async header(): Promise<string> {
    this.metric.reset();
    const text = await this.registry.getSingleMetricAsString(this.f.name);
    return text.split('\n').filter((l) => l.startsWith('#')).join('\n');
  }

  /** The series lines for `list` (no header), each ending in a newline. */
  async lines(list: readonly Sample[]): Promise<string> {
    if (list.length === 0) return '';
    this.metric.reset();
    if (this.metric instanceof Counter) for (const s of list) this.metric.inc(s.labels, s.value);
    else for (const s of list) this.metric.set(s.labels, s.value);
    const text = await this.registry.getSingleMetricAsString(this.f.name);
    let i = 0;
    while (text.startsWith('#', i)) i = text.indexOf('\n', i) + 1;
    return `${text.slice(i)}\n`;
  }
}
