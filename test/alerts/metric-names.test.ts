// Every whatsapp_* metric the rules use must exist: in the metric contract, and in the exporter's
// golden /metrics output once test/golden/*.prom files exist.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_METRIC_NAMES,
  RULE_METRICS_PENDING_GOLDEN,
  metricNamesFromExposition,
  referenceMetricNamesForRules,
  whatsappMetricNamesIn,
} from './contract-metrics.js';
import { RULES_FILE, readText } from './tools.js';

const used = whatsappMetricNamesIn(readText(RULES_FILE));

describe('metric names used by alerts/whatsapp.rules.yml', () => {
  it('finds the metrics the rules are built on', () => {
    expect(used.size).toBeGreaterThan(15);
    expect(used).toContain('whatsapp_credit_balance');
    expect(used).toContain('whatsapp_billing_account_info');
    expect([...used].some((n) => n.includes(':'))).toBe(false);
  });

  it('are all in the metric contract', () => {
    const unknown = [...used].filter((n) => !CONTRACT_METRIC_NAMES.includes(n));
    expect(unknown).toEqual([]);
  });

  const reference = referenceMetricNamesForRules();
  it(`are all served by the exporter (checked against: ${reference.source}, minus RULE_METRICS_PENDING_GOLDEN)`, () => {
    const missing = [...used].filter((n) => !reference.names.has(n) && !RULE_METRICS_PENDING_GOLDEN.includes(n));
    expect(missing).toEqual([]);
  });

  it('lists only contract metrics used by the rules as pending golden output', () => {
    for (const n of RULE_METRICS_PENDING_GOLDEN) {
      expect(CONTRACT_METRIC_NAMES).toContain(n);
      expect(used).toContain(n);
    }
  });
});

describe('golden exposition parsing (used once test/golden/*.prom exists)', () => {
  it('reads names from HELP/TYPE lines and samples', () => {
    const names = metricNamesFromExposition(
      [
        '# HELP whatsapp_credit_balance Prepaid messaging credit left.',
        '# TYPE whatsapp_credit_balance gauge',
        'whatsapp_credit_balance{account="main",currency="USD"} 8323.87',
        '# HELP whatsapp_message_errors_total Error codes of failed messages.',
        '# TYPE whatsapp_message_errors_total counter',
        'up 1',
      ].join('\n'),
    );
    expect([...names].sort()).toEqual(['up', 'whatsapp_credit_balance', 'whatsapp_message_errors_total']);
  });

  it('switches to the golden files when they exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wa-golden-'));
    try {
      expect(referenceMetricNamesForRules(dir).source).toBe('contract');
      writeFileSync(
        join(dir, 'basic.prom'),
        '# TYPE whatsapp_credit_balance gauge\nwhatsapp_credit_balance{account="a",currency="USD"} 1\n',
      );
      const ref = referenceMetricNamesForRules(dir);
      expect(ref.source).toBe('golden');
      expect([...ref.names]).toEqual(['whatsapp_credit_balance']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
