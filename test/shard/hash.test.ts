import { describe, expect, it } from 'vitest';
import { SOURCES } from '../../src/sources/index.js';
import type { SourceKey, TargetKind } from '../../src/sources/key.js';
import { ACCOUNTS, BALANCE, LIMITS, PRICING, STATEMENT, TEMPLATES, TOKEN } from '../../src/sources/keys.js';
import type { AnySource } from '../../src/sources/types.js';
import { fnv1a32, owns, parseShard, shardOf } from '../../src/shard/shard.js';
import { ownsTarget } from '../../src/shard/ownership.js';

/**
 * The hash is a contract between replicas (also of different versions during a rolling upgrade):
 * these values must never change. FNV-1a 32 of "" and "a" are the published test vectors.
 */
describe('shard hash (pinned)', () => {
  it.each([
    ['', 2166136261, 2, 2, 3],
    ['a', 3826002220, 1, 2, 6],
    ['102290129340398', 2165360742, 1, 1, 7],
    ['506914307656634', 3742515242, 1, 3, 5],
    ['900000000000001', 718791751, 2, 2, 7],
  ] as const)('%j → %d (shard of 2, 3, 7)', (id, hash, of2, of3, of7) => {
    expect(fnv1a32(id)).toBe(hash);
    expect([shardOf(id, 2), shardOf(id, 3), shardOf(id, 7)]).toEqual([of2, of3, of7]);
  });

  it('n shards split any id set with no overlap and no gap, roughly evenly', () => {
    const ids = Array.from({ length: 3000 }, (_, i) => String(100000000000000 + i * 7919));
    for (const n of [1, 2, 3, 5]) {
      const counts = Array.from(
        { length: n },
        (_, i) => ids.filter((id) => owns({ index: i + 1, count: n }, id)).length,
      );
      expect(counts.reduce((a, b) => a + b, 0)).toBe(ids.length);
      for (const c of counts) expect(c).toBeGreaterThan((ids.length / n) * 0.8);
    }
  });

  it.each([
    ['2/3', { index: 2, count: 3 }],
    [' 1 / 1 ', { index: 1, count: 1 }],
    ['0/3', undefined],
    ['4/3', undefined],
    ['2', undefined],
    ['a/b', undefined],
  ] as const)('parseShard(%j)', (s, want) => expect(parseShard(s)).toEqual(want));

  it('ownership table: portfolios listed everywhere, per-WABA by WABA, limits by business, singletons on shard 1', () => {
    const s2 = { index: 2, count: 2 };
    const wabaOn2 = ['1', '2', '3', '4', '5', '6'].find((id) => shardOf(id, 2) === 2) as string;
    const wabaOn1 = ['1', '2', '3', '4', '5', '6'].find((id) => shardOf(id, 2) === 1) as string;
    // Each source's declared rule for a target kind, applied by the poller's reconcile.
    const owns = (key: SourceKey<unknown>, kind: TargetKind, id: string, shard = s2) => {
      const src = SOURCES.find((s) => s.key === key) as AnySource;
      return ownsTarget(shard, src.traits.shard[kind], id);
    };
    expect(owns(ACCOUNTS, 'business', wabaOn1)).toBe(true);
    expect(owns(ACCOUNTS, 'waba', wabaOn1)).toBe(false);
    expect(owns(TEMPLATES, 'waba', wabaOn2)).toBe(true);
    expect(owns(PRICING, 'waba', wabaOn1)).toBe(false);
    expect(owns(LIMITS, 'business', wabaOn1)).toBe(false);
    expect(owns(LIMITS, 'business_via_waba', wabaOn1)).toBe(true);
    for (const [src, kind] of [
      [TOKEN, 'credential'],
      [BALANCE, 'billing_account'],
      [STATEMENT, 'billing_account'],
    ] as const) {
      expect(owns(src, kind, 'x')).toBe(false);
      expect(owns(src, kind, 'x', { index: 1, count: 2 })).toBe(true);
    }
    // A kind a source did not declare is not polled anywhere when sharded.
    expect(owns(TOKEN, 'waba', 'x', { index: 1, count: 2 })).toBe(false);
    expect(ownsTarget({ index: 1, count: 1 }, undefined, 'x')).toBe(true);
  });
});
