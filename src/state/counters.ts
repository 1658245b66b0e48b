export type Labels = Readonly<Record<string, string>>;

export interface CounterInc {
  readonly family: string;
  readonly labels: Labels;
  readonly value: number;
}

/** Labels as a canonical string (sorted keys): the identity of one series in memory and in the DB. */
export function canonicalLabels(labels: Labels): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

/**
 * The in-memory mirror of the persisted counters: loaded from the DB at start, incremented only
 * after the transaction that persisted the same increments committed. Rendering reads this, so a
 * scrape never touches SQLite for counters.
 */
export class CounterSet {
  private readonly families = new Map<string, Map<string, { labels: Labels; value: number }>>();

  add(family: string, labels: Labels, value: number, canon = canonicalLabels(labels)): void {
    let m = this.families.get(family);
    if (!m) this.families.set(family, (m = new Map()));
    const s = m.get(canon);
    if (s) s.value += value;
    else m.set(canon, { labels, value });
  }

  has(family: string, labels: Labels): boolean {
    return this.families.get(family)?.has(canonicalLabels(labels)) ?? false;
  }

  size(family: string): number {
    return this.families.get(family)?.size ?? 0;
  }

  series(family: string): ReadonlyArray<{ labels: Labels; value: number }> {
    return [...(this.families.get(family)?.values() ?? [])];
  }

  /** Every series of every family (compaction rewrites the persisted table from this). */
  all(): CounterInc[] {
    return [...this.families].flatMap(([family, m]) =>
      [...m.values()].map(({ labels, value }) => ({ family, labels, value })),
    );
  }

  /** The value of one series (tests). */
  get(family: string, labels: Labels): number {
    return this.families.get(family)?.get(canonicalLabels(labels))?.value ?? 0;
  }
}
