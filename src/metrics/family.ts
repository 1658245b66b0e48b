import { createHash } from 'node:crypto';

/** A metric family a collector emits: name, help and label names are fixed at definition time. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly string[];
  /** Exported only when listed in `metrics.opt_in` (expensive and rarely read at fleet scale). */
  readonly optIn?: boolean;
  /**
   * Exported in part by default (the rows described here, e.g. "failing or stale targets"), every
   * row when listed in `metrics.opt_in`.
   */
  readonly subset?: string;
}

export type Labels = Record<string, string>;
export type Sample = { labels: Labels; value: number };

type FamilyOptions = { optIn?: true; subset?: string };

export const gauge = (name: string, help: string, labelNames: readonly string[], o: FamilyOptions = {}): Family => ({
  name,
  help,
  type: 'gauge',
  labelNames,
  ...o,
});
export const counter = (name: string, help: string, labelNames: readonly string[], o: FamilyOptions = {}): Family => ({
  name,
  help,
  type: 'counter',
  labelNames,
  ...o,
});

/**
 * The finest identity of the families that are sums over messages, money and templates
 * (`metrics.aggregate_by`): the exporter adds them up to this grain before exporting.
 */
export type AggregateBy = 'business' | 'waba' | 'phone_number';

/** How an exposition is shaped besides its data (docs/metrics.md). */
export interface SampleSettings {
  /**
   * `active`: a state set exports only its current state (value 1); `full`: one series per known
   * state, 0 or 1. Rules select with `== 1` and work in both.
   */
  readonly stateSets?: 'active' | 'full';
  /** Families this exposition exports (metrics.allow / deny / opt_in); default: all. */
  readonly exported?: (f: Family) => boolean;
  /** Subset families (Family.subset) opted in to every row; default: none. */
  readonly complete?: (f: Family) => boolean;
  readonly aggregateBy?: AggregateBy;
}

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
  private readonly stateSets: 'active' | 'full';
  private readonly exported: (f: Family) => boolean;
  private readonly complete: (f: Family) => boolean;
  readonly aggregateBy: AggregateBy;

  constructor(o: SampleSettings = {}) {
    this.stateSets = o.stateSets ?? 'full';
    this.exported = o.exported ?? (() => true);
    this.complete = o.complete ?? (() => false);
    this.aggregateBy = o.aggregateBy ?? 'phone_number';
  }

  /** Whether a family is exported at all (collectors skip work for families that are not). */
  exports(f: Family): boolean {
    return this.exported(f);
  }

  /** Whether every row of a subset family is exported (opted in), not only its default subset. */
  completes(f: Family): boolean {
    return this.complete(f);
  }

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
    if (current === undefined || !this.exported(f)) return;
    if (this.stateSets === 'active') {
      this.add(f, { ...labels, [stateLabel]: current }, 1);
      return;
    }
    for (const s of known) this.add(f, { ...labels, [stateLabel]: s }, s === current ? 1 : 0);
    if (!known.includes(current)) this.add(f, { ...labels, [stateLabel]: current }, 1);
  }
}
