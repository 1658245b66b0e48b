import type { Config, SourceName } from './config.js';
import { SANDBOX_INTERVALS, SANDBOX_TOKEN } from './defaults.js';
import { parseDuration } from './duration.js';
import { Secret } from './secret.js';

/**
 * The configuration the exporter runs with in sandbox mode: the given config pointed at the
 * in-process simulator, with one credential, its businesses, and short demo intervals (unless
 * the user set intervals in the file, which win).
 */
export function sandboxConfig(base: Config, sandboxUrl: string, businessIds: string[], userSetIntervals: boolean): Config {
  const sources = { ...base.sources };
  if (!userSetIntervals) {
    for (const name of Object.keys(SANDBOX_INTERVALS) as SourceName[]) {
      const intervalMs = parseDuration(SANDBOX_INTERVALS[name as keyof typeof SANDBOX_INTERVALS]) as number;
      sources[name] = { ...sources[name], intervalMs, maxStalenessMs: intervalMs * base.poller.staleness_intervals };
    }
  }
  return Object.freeze({
    ...base,
    graph: Object.freeze({ ...base.graph, url: sandboxUrl }),
    credentials: Object.freeze([Object.freeze({ name: 'default', accessToken: new Secret(SANDBOX_TOKEN) })]),
    businesses: Object.freeze(businessIds.map((id) => Object.freeze({ id, credential: 'default', discover: ['owned', 'client'] as ('owned' | 'client')[] }))),
    wabas: Object.freeze([]),
    sources: Object.freeze(sources),
  }) as unknown as Config;
}
