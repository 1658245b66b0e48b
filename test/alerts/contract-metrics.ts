// Metric names of the exporter's metric contract (the project's copy; names only), and helpers to
// compare the names used in the alert rules with what the exporter really serves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractMetricNames } from '../helpers/contract.js';

/** The contract's names: the metric table in docs/metrics.md (see test/helpers/contract.ts). */
export const CONTRACT_METRIC_NAMES: readonly string[] = contractMetricNames();

/**
 * Metrics the rules use that the golden expositions do not contain. Empty: the golden scenario
 * (test/golden/sandbox-basic.prom) covers Graph, billing and webhooks, so every rule is checked
 * against the exporter's real output. Add a name here only with a reason.
 */
export const RULE_METRICS_PENDING_GOLDEN: readonly string[] = [];

export const GOLDEN_DIR = join(new URL('../golden', import.meta.url).pathname);

/** `whatsapp_*` metric names (not recording rules) used in PromQL / templates in a text. */
export function whatsappMetricNamesIn(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const token = m[0];
    if (token.startsWith('whatsapp_') && !token.includes(':')) names.add(token);
  }
  return names;
}

/** Metric names in a Prometheus text exposition: from # HELP / # TYPE lines and from samples. */
export function metricNamesFromExposition(text: string): Set<string> {
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const meta = /^#\s+(?:HELP|TYPE)\s+([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (meta?.[1] !== undefined) {
      names.add(meta[1]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (sample?.[1] !== undefined) names.add(sample[1]);
  }
  return names;
}

/** The golden exposition files (`test/golden/*.prom`, one level of sub-directories too). */
export function goldenExpositionFiles(dir: string = GOLDEN_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.prom'))
    .sort()
    .map((f) => join(dir, f));
}

/** Union of the metric names of all golden expositions. */
export function metricNamesFromGoldenExpositions(dir: string = GOLDEN_DIR): Set<string> {
  const names = new Set<string>();
  for (const f of goldenExpositionFiles(dir))
    for (const n of metricNamesFromExposition(readFileSync(f, 'utf8'))) names.add(n);
  return names;
}

/**
 * What the rules are checked against: the golden expositions as soon as `test/golden/*.prom` files
 * exist (the exporter's real output), the contract list until then.
 */
export function referenceMetricNamesForRules(dir: string = GOLDEN_DIR): {
  source: 'golden' | 'contract';
  names: Set<string>;
} {
  return goldenExpositionFiles(dir).length > 0
    ? { source: 'golden', names: metricNamesFromGoldenExpositions(dir) }
    : { source: 'contract', names: new Set(CONTRACT_METRIC_NAMES) };
}
