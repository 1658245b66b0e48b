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
 * The snapshot store: an immutable map of SourceEntry values. Writers swap in a new frozen entry;
 * readers (collectors, the overview page, target planning) never see a half-written refresh.
 * Emits 'change' with the source name so only the affected metric families are re-rendered.
 */
export class SnapshotStore extends EventEmitter<{ change: [source: string] }> {
  private entries: ReadonlyMap<string, SourceEntry> = new Map();

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
    const m = new Map(this.entries);
    m.set(key(source, target), next);
    this.entries = m;
    this.emit('change', source);
    return next;
  }

  delete(source: string, target: string): void {
    if (!this.entries.has(key(source, target))) return;
    const m = new Map(this.entries);
    m.delete(key(source, target));
    this.entries = m;
    this.emit('change', source);
  }
}

/** The data of an entry if it is fresh enough to serve; stale data is dropped, not served. */
export function freshData<T>(e: SourceEntry<T> | undefined, now: number): T | undefined {
  if (!e || e.data === undefined || e.lastSuccess === undefined) return undefined;
  return now - e.lastSuccess <= e.maxStalenessMs ? e.data : undefined;
}
