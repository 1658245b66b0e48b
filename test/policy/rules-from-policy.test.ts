// alerts/whatsapp.rules.yml carries the policy table: every alert's severity and `for` are the
// policy's, and every value of an alert's policy entry reaches that alert's rules (changing it
// changes them). test/alerts/rules.test.ts checks that the committed file is what the generator
// writes, so together the committed rules are a function of src/policy.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderRules, type RulesOverrides } from '../../alerts/generate.js';
import { ALERT_NAMES, ALERT_POLICY, SEVERITIES, durationSeconds, type AlertName } from '../../src/policy/index.js';
import { RULES_FILE, asArray, isRecord, readText } from '../alerts/tools.js';

interface AlertRule {
  alert: string;
  for?: string;
  labels: Record<string, unknown>;
}

function alertRules(text: string): AlertRule[] {
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error('rules file is not a mapping');
  const rules = asArray(doc.groups)
    .flatMap((g) => (isRecord(g) ? asArray(g.rules) : []))
    .filter(isRecord);
  return rules.flatMap((r) => (typeof r.alert === 'string' ? [r as unknown as AlertRule] : []));
}

const committed = readText(RULES_FILE);

describe('alerts/whatsapp.rules.yml and src/policy', () => {
  it('every alert has the severity and `for` of its policy entry', () => {
    const rules = alertRules(committed);
    expect([...new Set(rules.map((r) => r.alert))].sort()).toEqual([...ALERT_NAMES].sort());
    for (const r of rules) {
      const p = ALERT_POLICY[r.alert as AlertName];
      // Two alerts split into rules of different severities, each from its own policy field.
      const stale = ALERT_POLICY.WhatsAppExporterDataStale;
      const low = ALERT_POLICY.WhatsAppCreditBalanceLow;
      const severities =
        r.alert === 'WhatsAppExporterDataStale'
          ? [stale.severity, stale.criticalSourcesSeverity]
          : r.alert === 'WhatsAppCreditBalanceLow'
            ? [low.severity, low.aboveCriticalSeverity]
            : [p.severity];
      expect(severities, r.alert).toContain(r.labels.severity);
      expect(r.for, r.alert).toBe(durationSeconds(p.for) > 0 ? p.for : undefined);
    }
  });

  // One case per (alert, policy field): the field changed to another value of its kind.
  const fields = ALERT_NAMES.flatMap((name) => Object.keys(ALERT_POLICY[name]).map((field) => [name, field] as const));

  it.each(fields)('%s: changing `%s` in the policy changes the rules of that alert', (name, field) => {
    const current: unknown = (ALERT_POLICY[name] as unknown as Record<string, unknown>)[field];
    const changed = perturb(field, current);
    const overrides = { alerts: { [name]: { [field]: changed } } } as RulesOverrides;
    const mine = (text: string) => JSON.stringify(alertRules(text).filter((r) => r.alert === name));
    expect(mine(renderRules(overrides))).not.toBe(mine(committed));
  });
});

/** Another valid value of the same kind (a severity, a duration, a number, a list). */
function perturb(field: string, v: unknown): unknown {
  if (field.toLowerCase().endsWith('severity')) return SEVERITIES.find((s) => s !== v);
  if (typeof v === 'number') return v + 0.125;
  if (Array.isArray(v)) return [...(v as unknown[]), 'PERTURBED'];
  if (typeof v === 'string') return v === '17m' ? '19m' : '17m';
  throw new Error(`no perturbation for ${field}: ${JSON.stringify(v)}`);
}
