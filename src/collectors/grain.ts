import type { AggregateBy, Family, Labels, Samples } from '../metrics/family.js';

/** Identity labels finer than each grain: summed away before export. */
const FINER: Readonly<Record<AggregateBy, readonly string[]>> = {
  business: ['waba_id', 'phone_number_id'],
  waba: ['phone_number_id'],
  phone_number: [],
};

/**
 * Sums samples up to the exposition's grain (`metrics.aggregate_by`): rows whose labels differ
 * only in finer identity labels become one row without them. Counters stay monotonic as long as
 * their parts do (the parts are never deleted). Call flush() once after the last add().
 */
export class GrainSums {
  private readonly drop: ReadonlySet<string>;
  private readonly sums = new Map<string, { family: Family; labels: Labels; value: number; parts: number }>();

  constructor(
    private readonly out: Samples,
    grain: AggregateBy = out.aggregateBy,
  ) {
    this.drop = new Set(FINER[grain]);
  }

  add(family: Family, labels: Labels, value: number): void {
    if (!this.out.exports(family)) return;
    const kept: Labels = {};
    for (const n of family.labelNames) if (!this.drop.has(n) && labels[n] !== undefined) kept[n] = labels[n];
    const key = `${family.name}\u0000${family.labelNames.map((n) => kept[n] ?? '').join('\u0000')}`;
    const s = this.sums.get(key);
    if (s) {
      s.value += value;
      s.parts++;
    } else this.sums.set(key, { family, labels: kept, value, parts: 1 });
  }

  flush(): void {
    // A sum of decimal amounts (0.1 + 0.2) is rounded to 15 significant digits; a row of one part
    // is exported exactly as it came.
    for (const s of this.sums.values())
      this.out.add(
        s.family,
        s.labels,
        s.parts === 1 || Number.isInteger(s.value) ? s.value : Number(s.value.toPrecision(15)),
      );
    this.sums.clear();
  }
}
