/** A metric family a collector emits: name, help and label names are fixed at definition time. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly labelNames: readonly string[];
}

export type Labels = Record<string, string>;

export const gauge = (name: string, help: string, labelNames: readonly string[]): Family => ({ name, help, type: 'gauge', labelNames });
export const counter = (name: string, help: string, labelNames: readonly string[]): Family => ({ name, help, type: 'counter', labelNames });

/** Where collectors put samples; the renderer groups them per family and lets prom-client format them. */
export class Samples {
  readonly byFamily = new Map<Family, Array<{ labels: Labels; value: number }>>();

  add(f: Family, labels: Labels, value: number): void {
    let list = this.byFamily.get(f);
    if (!list) this.byFamily.set(f, (list = []));
    list.push({ labels, value });
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
