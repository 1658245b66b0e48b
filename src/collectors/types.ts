import type { SourceEntry } from '../poller/store.js';
import type { Samples } from '../metrics/family.js';

/** What collectors read: fresh data per source (stale data already dropped) and every entry's health. */
export interface CollectView {
  readonly now: number;
  fresh<T>(source: string): Array<{ target: string; data: T }>;
  entries(): readonly SourceEntry[];
}

/**
 * Turns snapshot data into samples. No I/O, no throwing on odd data; `sources` says which
 * store changes make this collector's output stale (re-rendered only then).
 */
export interface Collector {
  readonly name: string;
  readonly sources: readonly string[];
  collect(view: CollectView, out: Samples): void;
}
