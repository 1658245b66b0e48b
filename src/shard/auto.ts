/**
 * `--shard auto/N`: the index comes from the StatefulSet pod's ordinal, as kube-state-metrics'
 * `--pod` / `--pod-namespace` automatic sharding does. A StatefulSet names its pods
 * `<statefulset>-<ordinal>` with ordinals 0..replicas-1 and sets no environment variable of its
 * own, so the manifest passes the name in through the downward API (`POD_NAME` from
 * `metadata.name`, deploy/kubernetes/base/statefulset.yaml). Pod `name-2` is shard 3 of N.
 */
import type { Shard } from './shard.js';

/** "auto/3" → 3; undefined when the text is not the auto form. */
export function autoShardCount(s: string): number | undefined {
  const m = /^\s*auto\s*\/\s*(\d{1,4})\s*$/.exec(s);
  return m ? Number(m[1]) : undefined;
}

/**
 * The shard of pod `podName` among `count`, or undefined when the name has no trailing ordinal
 * or the ordinal is not below `count` (more replicas than shards: that pod would duplicate a shard).
 */
export function shardFromPodName(podName: string | undefined, count: number): Shard | undefined {
  const m = podName === undefined ? null : /-(0|[1-9]\d{0,3})$/.exec(podName);
  if (!m || count < 1) return undefined;
  const ordinal = Number(m[1]);
  return ordinal < count ? { index: ordinal + 1, count } : undefined;
}
