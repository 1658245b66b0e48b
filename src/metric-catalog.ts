import { COLLECTOR_FAMILIES } from './collectors/index.js';
import type { Config } from './config/config.js';
import { ConfigError } from './config/errors.js';
import { type CatalogEntry, FamilyFilter, listIssues } from './metrics/filter.js';
import { SelfMetrics } from './metrics/self.js';

/**
 * Every `whatsapp_*` family the exporter can serve: the collectors' and its own self-metrics
 * (read from a registry without process metrics, which starts no timers).
 */
export function metricCatalog(): CatalogEntry[] {
  const self = new SelfMetrics({ version: '', revision: '' }, false);
  const own = self.registry
    .getMetricsAsArray()
    .map((m) => m.name)
    .filter((n) => n.startsWith('whatsapp_'));
  return [
    ...COLLECTOR_FAMILIES.map((f) => ({ name: f.name, optIn: f.optIn, subset: f.subset })),
    ...own.map((name) => ({ name })),
  ];
}

/** The family filter of a config; throws ConfigError naming the key when a pattern matches nothing. */
export function familyFilter(config: Config, label: string, catalog = metricCatalog()): FamilyFilter {
  const lists = { allow: config.metrics.allow, deny: config.metrics.deny, optIn: config.metrics.optIn };
  const issues = listIssues(lists, catalog);
  if (issues.length > 0) throw new ConfigError(label, issues);
  const optIn = new Set(catalog.filter((f) => f.optIn).map((f) => f.name));
  return new FamilyFilter(lists, (name) => optIn.has(name));
}
