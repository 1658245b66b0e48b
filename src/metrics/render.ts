import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Family, Sample, Samples } from './family.js';
import type { Format } from './format.js';
import { openMetricsOf } from './openmetrics.js';

/** Series per prom-client rendering: bounds how long one step blocks the event loop. */
export const CHUNK = 5_000;

/**
 * Exposition text kept between renderings, deflated: a group's lines for one family (a few KB of
 * near-identical state-set lines) shrink about 20×. At 10,000 numbers that is ~3 MB instead of
 * 55 MB held for as long as the process runs; it is inflated only when a rendering needs it.
 */
export class Packed {
  constructor(
    readonly bytes: Buffer,
    /** Length of the text, so inflating allocates exactly that (zlib's default is 16 KB a call). */
    readonly textBytes: number,
  ) {}

  static of(text: string): Packed {
    const plain = Buffer.byteLength(text);
    // A small output chunk: the default 16 KB would be a fresh 16 KB allocation per group and
    // family (half a gigabyte of garbage on a first render at 10,000 numbers) for ~500 bytes kept.
    const deflated = deflateRawSync(text, { level: 1, chunkSize: 1024 });
    // Copied into an exact-size allocation of its own: zlib returns a view of its output chunk, and
    // a view would keep the whole chunk (or a pooled slab and its neighbours) alive.
    const own = Buffer.allocUnsafeSlow(deflated.length);
    deflated.copy(own);
    return new Packed(own, plain);
  }

  text(): Buffer {
    // One byte more than the text: a chunk filled exactly makes zlib allocate a second, empty one.
    return inflateRawSync(this.bytes, { chunkSize: Math.max(64, this.textBytes + 1) });
  }
}

/**
 * A family's `# HELP`/`# TYPE` lines where the two formats differ: a counter's family is named
 * without `_total` in OpenMetrics. Its series lines are the same in both, so only this part of a
 * rendering exists twice.
 */
export class Header {
  constructor(
    readonly text: Buffer,
    readonly openmetrics: Buffer,
  ) {}
}

/** A piece of a rendering: plain text, a cached group's packed text, or a header per format. */
export type Part = Buffer | Packed | Header;

/** The plain text of a rendering (tests, small renderings). */
export function textOf(r: string | Buffer | readonly Part[]): string {
  return textIn(r, 'text');
}

/** The plain text of a rendering in one format. */
export function textIn(r: string | Buffer | readonly Part[], format: Format): string {
  if (typeof r === 'string') return r;
  const plain = (p: Part) => (p instanceof Packed ? p.text() : p instanceof Header ? p[format] : p);
  return Buffer.concat((Buffer.isBuffer(r) ? [r] : r).map(plain)).toString();
}

/** Rendered text of each group from the previous rendering, reused while its signature holds. */
export type GroupCache = Map<string, { sig: string; text: Map<Family, Packed> }>;

/**
 * Formats samples with prom-client (it owns escaping and number formatting; we only join its
 * output). Per family: the # HELP / # TYPE header once, then the series of ungrouped samples and of
 * every group. A group whose signature matches `cache` reuses its previous text; the others are
 * built and rendered one at a time through one reusable metric per family, so peak memory is one
 * group's samples. The event loop is yielded to every few thousand series, so scrapes are served
 * during a large render. Duplicate label sets within a group collapse to one series.
 */
export async function renderSamples(samples: Samples, cache?: GroupCache): Promise<Part[]> {
  const renderers = new Map<Family, Renderer>();
  const rendererOf = (f: Family) => {
    let r = renderers.get(f);
    if (!r) renderers.set(f, (r = new Renderer(f)));
    return r;
  };
  const families = [...samples.families];
  const use = (fs: Iterable<Family>) => {
    for (const f of fs) if (!families.includes(f)) families.push(f);
  };
  const next: GroupCache = new Map();
  let sinceYield = 0;
  for (const [key, g] of samples.groups) {
    const hit = cache?.get(key);
    if (hit && hit.sig === g.sig) {
      next.set(key, hit);
      use(hit.text.keys());
      continue;
    }
    // Packed at once, also on the first rendering: the text of all groups is never in memory at once.
    const text = new Map<Family, Packed>();
    for (const [f, list] of samples.samplesOf(key)) {
      text.set(f, Packed.of(await rendererOf(f).lines(list)));
      sinceYield += list.length;
    }
    use(text.keys());
    next.set(key, { sig: g.sig, text });
    if (sinceYield >= CHUNK) {
      sinceYield = 0;
      await yieldToLoop();
    }
  }

  const out: Part[] = [];
  for (const f of families) {
    const r = rendererOf(f);
    out.push(await r.header());
    const loose = samples.byFamily.get(f) ?? [];
    for (let i = 0; i < loose.length; i += CHUNK) {
      out.push(Buffer.from(await r.lines(loose.slice(i, i + CHUNK))));
      await yieldToLoop();
    }
    for (const key of samples.groups.keys()) {
      const b = next.get(key)?.text.get(f);
      if (b) out.push(b);
    }
  }
  if (cache) {
    cache.clear();
    for (const [k, v] of next) cache.set(k, v);
  }
  // Parts, not one joined Buffer: cached groups stay packed until the compressor reads them.
  return out;
}

/** One reusable prom-client metric in its own registry, for one family. */
class Renderer {
  private readonly registry = new Registry();
  private readonly metric: Gauge | Counter;

  constructor(private readonly f: Family) {
    const opts = { name: f.name, help: f.help, labelNames: [...f.labelNames], registers: [this.registry] };
    this.metric = f.type === 'counter' ? new Counter(opts) : new Gauge(opts);
  }

  /** The family's header lines, each ending in a newline; a Header when OpenMetrics names it otherwise. */
  async header(): Promise<Buffer | Header> {
    this.metric.reset();
    const text = headerLines(await this.registry.getSingleMetricAsString(this.f.name));
    const openmetrics = headerLines(await openMetricsOf(this.metric));
    return openmetrics === text ? Buffer.from(text) : new Header(Buffer.from(text), Buffer.from(openmetrics));
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

/** The comment lines of one family's rendering (a family without labels also renders a 0 sample). */
function headerLines(family: string): string {
  return family
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => `${l}\n`)
    .join('');
}
