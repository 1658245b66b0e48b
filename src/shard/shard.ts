/**
 * Sharding: n replicas split the WABAs by a stable hash of an id, like fastly-exporter's
 * `-service-shard n/m` (PEERS.md item 9: "HA replicas multiply API calls: sharding, not leader
 * election"). The hash is part of the contract between replicas of different versions during a
 * rolling upgrade, so it is pinned by a table test (test/shard/hash.test.ts): never change it.
 * The rules for which shard owns what are in docs/sharding-and-budget.md, "Sharding".
 */

/** This replica's place: 1-based index of count. `{1, 1}` = unsharded (owns everything). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const UNSHARDED: Shard = Object.freeze({ index: 1, count: 1 });

/** 32-bit FNV-1a over the UTF-8 bytes of the id. Cheap, dependency-free and stable forever. */
export function fnv1a32(id: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(id, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The 1-based shard that owns an id among `count` shards. */
export function shardOf(id: string, count: number): number {
  return count <= 1 ? 1 : (fnv1a32(id) % count) + 1;
}

/** Whether this replica owns the id (always true unsharded). */
export function owns(shard: Shard, id: string): boolean {
  return shard.count <= 1 || shardOf(id, shard.count) === shard.index;
}

/** Singletons (token checks, billing accounts) live on shard 1 only. */
export function ownsSingletons(shard: Shard): boolean {
  return shard.index === 1;
}

/** "2/3" → {index: 2, count: 3}; undefined when malformed or out of range. */
export function parseShard(s: string): Shard | undefined {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(s);
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

export const formatShard = (s: Shard): string => `${s.index}/${s.count}`;
