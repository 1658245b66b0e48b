/** A metric family a collector emits: name, help and label names are fixed at definition time. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly string[];
}

export type Labels = Record<string, string>;
export type Sample = { labels: Labels; value: number };

export const gauge = (name: string, help: string, labelNames: readonly string[]): Family => ({ name, help, type: 'gauge', labelNames });
export const counter = (name: string, help: string, labelNames: readonly string[]): Family => ({ name, help, type: 'counter', labelNames });

/** The samples of one group (e.g. one WABA), with a signature of the data they came from. */
export interface Group {
  readonly sig: string;
  readonly byFamily: Map<Family, Sample[]>;
  /** The previous rendering had this signature: the samples were not even built. */
  readonly reuse: boolean;
}

/**
 * Where collectors put samples; the renderer groups them per family and lets prom-client format
 * them. Samples added inside group(key, sig, fn) can be reused from the previous rendering when
 * the group's signature did not change, which is what keeps a 10,000-number exposition cheap to
 * refresh when only a few WABAs changed.
 */
export class Samples {
  /** Every family, in order of first use. */
  readonly families: Family[] = [];
  /** Samples outside any group. */
  readonly byFamily = new Map<Family, Sample[]>();
  readonly groups = new Map<string, Group>();
  private current?: Group;

  /** `known`: signatures of the groups the renderer still has text for; those groups are skipped. */
  constructor(private readonly known?: ReadonlyMap<string, string>) {}

  add(f: Family, labels: Labels, value: number): void {
    const target = this.current ? this.current.byFamily : this.byFamily;
    if (!this.byFamily.has(f) && !this.families.includes(f)) this.families.push(f);
    let list = target.get(f);
    if (!list) target.set(f, (list = []));
    list.push({ labels, value });
  }

  /** Collects the samples `fn` adds as one cacheable group. Keys must be unique per collection. */
  group(key: string, sig: string, fn: () => void): void {
    const reuse = this.known?.get(key) === sig;
    const g: Group = { sig, byFamily: new Map(), reuse };
    this.groups.set(key, g);
    if (reuse) return;
    const prev = this.current;
    this.current = g;
    try {
      fn();
    } finally {
      this.current = prev;
    }
  }

  /**
   * A state set: one series per known state, 1 for the current one. A state we do not know is
   * exported as-is with value 1; a missing state exports nothing (no made-up zeros).
   */
  stateSet(f: Family, labels: Labels, stateLabel: string, known: readonly string[], current: string | undefined): void {
    if (current === undefined) return;
    for (const s of known) this.add(f, { ...labels, [stateLabel]: s }, s === current ? 1 : 0);
    if (!known.includes(current)) this.add(f, { ...labels, [stateLabel]: current }, 1);
  }
}
