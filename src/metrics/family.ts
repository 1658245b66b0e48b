import { createHash } from 'node:crypto';

/** A metric family a collector emits: name, help and label names are fixed at definition time. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly string[];
  /** Exported only when listed in `metrics.opt_in` (expensive and rarely read at fleet scale). */
  readonly optIn?: boolean;
}

export type Labels = Record<string, string>;
export type Sample = { labels: Labels; value: number };

export const gauge = (name: string, help: string, labelNames: readonly string[], o: { optIn?: true } = {}): Family => ({
  name,
  help,
  type: 'gauge',
  labelNames,
  ...o,
});
export const counter = (name: string, help: string, labelNames: readonly string[]): Family => ({
  name,
  help,
  type: 'counter',
  labelNames,
});

/** The samples of one group (e.g. one WABA), with a signature of the data they came from. */
export interface Group {
  readonly sig: string;
  /** Adds the group's samples; run by the renderer, one group at a time, only when needed. */
  readonly emit: () => void;
}

/**
 * Where collectors put samples; the renderer groups them per family and lets prom-client format
 * them. Samples added inside group(key, sig, fn) can be reused from the previous rendering when
 * the group's signature did not change, which is what keeps a 10,000-number exposition cheap to
 * refresh when only a few WABAs changed.
 */
export class Samples {
  /**
   * `active`: a state set exports only its current state (value 1); `full`: one series per known
   * state, 0 or 1. Rules select with `== 1` and work in both.
   */
  constructor(
    private readonly stateSets: 'active' | 'full' = 'full',
    /** Families this exposition exports (metrics.allow / deny / opt_in); default: all. */
    private readonly exported: (f: Family) => boolean = () => true,
  ) {}

  /** Every family, in order of first use. */
  readonly families: Family[] = [];
  /** Samples outside any group. */
  readonly byFamily = new Map<Family, Sample[]>();
  readonly groups = new Map<string, Group>();
  /** While a group's emit() runs, its samples land here instead of in byFamily. */
  private current?: Map<Family, Sample[]>;

  add(f: Family, labels: Labels, value: number): void {
    if (!this.exported(f)) return;
    const target = this.current ?? this.byFamily;
    if (!this.byFamily.has(f) && !this.families.includes(f)) this.families.push(f);
    let list = target.get(f);
    if (!list) target.set(f, (list = []));
    list.push({ labels, value });
  }

  /**
   * Declares a cacheable group: `fn` adds its samples. It does not run now: the renderer runs it
   * only if the group's signature changed since the last rendering, and renders and drops each
   * group's samples before the next, so memory holds one group's samples, not the exposition's.
   * Keys must be unique per collection.
   */
  group(key: string, sig: string, fn: () => void): void {
    // Signatures are often the group's data as JSON (kilobytes per WABA); the cache keeps a digest.
    this.groups.set(key, { sig: sig.length > 40 ? createHash('sha1').update(sig).digest('base64') : sig, emit: fn });
  }

  /** Runs one group's emit() and returns its samples by family. */
  samplesOf(key: string): Map<Family, Sample[]> {
    const g = this.groups.get(key);
    const out = new Map<Family, Sample[]>();
    if (!g) return out;
    const prev = this.current;
    this.current = out;
    try {
      g.emit();
    } finally {
      this.current = prev;
    }
    return out;
  }

  /**
   * A state set: one series per known state, 1 for the current one (only the current one in
   * `active` mode). A state we do not know is
   * exported as-is with value 1; a missing state exports nothing (no made-up zeros).
   */
  stateSet(f: Family, labels: Labels, stateLabel: string, known: readonly string[], current: string | undefined): void {
    if (current === undefined) return;
    if (this.stateSets === 'active') {
      this.add(f, { ...labels, [stateLabel]: current }, 1);
      return;
    }
    for (const s of known) this.add(f, { ...labels, [stateLabel]: s }, s === current ? 1 : 0);
    if (!known.includes(current)) this.add(f, { ...labels, [stateLabel]: current }, 1);
  }
}
