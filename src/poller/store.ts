import { EventEmitter } from 'node:events';

/** The state of one (source, target) loop. Replaced wholesale on every change, never mutated. */
export interface SourceEntry<T = unknown> {
  readonly source: string;
  readonly target: string;
  readonly intervalMs: number;
  readonly maxStalenessMs: number;
  /** Last good data; kept through failures until it is older than maxStalenessMs. */
  readonly data?: T;
  readonly lastSuccess?: number;
  readonly lastAttempt?: number;
  readonly durationMs?: number;
  /** Undefined until the first attempt finished. */
  readonly up?: boolean;
  readonly error?: { readonly reason: string; readonly code?: number };
  /** Throttled by Meta: no attempt before this time. */
  readonly pausedUntil?: number;
}

const key = (source: string, target: string) => `${source}\u0000${target}`;

/**
 * The snapshot store: SourceEntry values that are never mutated. Writers swap in a new frozen
 * entry; readers (collectors, the overview page, target planning) read synchronously, so they
 * never see a half-written refresh. The map itself is updated in place: copying it on every
 * refresh cost O(targets²) per cycle (4,400 targets at BSP scale made ~900 MB of garbage).
 * Emits 'change' with the source name so only the affected metric families are re-rendered.
 */
export class SnapshotStore extends EventEmitter<{ change: [source: string] }> {
  private readonly entries = new Map<string, SourceEntry>();

  get<T>(source: string, target: string): SourceEntry<T> | undefined {
    return this.entries.get(key(source, target)) as SourceEntry<T> | undefined;
  }

  all(): SourceEntry[] {
    return [...this.entries.values()];
  }

  bySource<T>(source: string): SourceEntry<T>[] {
    return this.all().filter((e) => e.source === source) as SourceEntry<T>[];
  }

  /** Replaces (or creates) one entry from the previous one. */
  update<T>(source: string, target: string, fn: (prev: SourceEntry<T> | undefined) => SourceEntry<T>): SourceEntry<T> {
    const next = Object.freeze(fn(this.get<T>(source, target)));
    this.entries.set(key(source, target), next);
    this.emit('change', source);
    return next;
  }

  delete(source: string, target: string): void {
    if (!this.entries.delete(key(source, target))) return;
    this.emit('change', source);
  }
}

/** The data of an entry if it is fresh enough to serve; stale data is dropped, not served. */
export function freshData<T>(e: SourceEntry<T> | undefined, now: number): T | undefined {
  if (!e || e.data === undefined || e.lastSuccess === undefined) return undefined;
  return now - e.lastSuccess <= e.maxStalenessMs ? e.data : undefined;
}
