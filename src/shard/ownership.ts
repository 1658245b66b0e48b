import type { Target } from '../sources/types.js';
import { owns, ownsSingletons, type Shard } from './shard.js';

/**
 * Which (source, target) loops this shard runs. One table, applied by the poller's reconcile, so
 * a source never needs to know about sharding to be split correctly (rules: the README "Sharding" section).
 *
 * - graph_accounts: every shard lists every configured portfolio (⌈WABAs/50⌉ calls; the source
 *   keeps only owned WABAs in its data, but the whole WABA → business directory for identity);
 *   an explicitly listed WABA is polled by the shard owning its id.
 * - graph_templates, graph_pricing: the shard owning the WABA id.
 * - graph_limits: the shard owning the business id, except for a business known only through
 *   explicitly listed WABAs (target kind "via_waba"): no other shard can know it, so the shard
 *   that polls the WABA polls the limit too.
 * - graph_token and billing: shard 1.
 */
export function ownsTarget(shard: Shard, source: string, t: Target): boolean {
  if (shard.count <= 1) return true;
  switch (source) {
    case 'graph_accounts':
      return t.kind === 'business' || owns(shard, t.id);
    case 'graph_limits':
      return t.kind === 'via_waba' || owns(shard, t.id);
    case 'graph_templates':
    case 'graph_pricing':
      return owns(shard, t.id);
    default:
      return ownsSingletons(shard);
  }
}
