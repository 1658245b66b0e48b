import type { SourceEntry } from '../poller/store.js';
import type { Samples } from '../metrics/family.js';
import type { AnySourceKey, SourceKey } from '../sources/key.js';

/** What collectors read: fresh data per source (stale data already dropped) and every entry's health. */
export interface CollectView {
  readonly now: number;
  fresh<T>(source: SourceKey<T>): Array<{ target: string; data: T }>;
  /** The last good data of every target however old: only for what stays true with age (a token reported invalid). */
  known<T>(source: SourceKey<T>): Array<{ target: string; data: T }>;
  entries(): readonly SourceEntry[];
}

/**
 * Changes that make a collector's output stale besides its sources: a config reload, a webhook
 * batch, a Graph usage reading; '*' = any change.
 */
export type Trigger = 'config' | 'webhooks' | 'graph_usage' | '*';

/** The exposition's name for a dependency (a source's name or a trigger). */
export const depName = (d: AnySourceKey | Trigger): string => (typeof d === 'string' ? d : d.name);

/**
 * Turns snapshot data into samples. No I/O, no throwing on odd data; `sources` says which
 * store changes make this collector's output stale (re-rendered only then).
 */
export interface Collector {
  readonly name: string;
  readonly sources: readonly (AnySourceKey | Trigger)[];
  collect(view: CollectView, out: Samples): void;
}
