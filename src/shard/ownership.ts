import { owns, ownsSingletons, type Shard } from './shard.js';

/**
 * How a source's target is assigned to a replica; each source declares one rule per target kind
 * (its `traits.shard`), and the poller's reconcile applies them, so a source never needs to know
 * about sharding to be split correctly (rules: docs/sharding-and-budget.md).
 *
 * - `by_id`: the shard that owns the target id (WABAs, portfolios' limits).
 * - `every_shard`: every replica polls it: portfolio listings (each shard keeps its own WABAs but
 *   the whole WABA → business directory for identity), and a business known only through an
 *   explicitly listed WABA (no other shard can know it).
 * - `shard_one`: singletons (token checks, billing accounts).
 */
export type ShardRule = 'by_id' | 'every_shard' | 'shard_one';

export function ownsTarget(shard: Shard, rule: ShardRule | undefined, id: string): boolean {
  if (shard.count <= 1) return true;
  switch (rule) {
    case 'every_shard':
      return true;
    case 'by_id':
      return owns(shard, id);
    case 'shard_one':
      return ownsSingletons(shard);
    default:
      // A kind the source did not declare is not polled when sharded (declare it to poll it).
      return false;
  }
}
