// The rules file: valid and lint-clean for promtool, generated from alerts/config.ts, complete
// against the alert contract, every alert documented and unit-tested (firing and not firing).
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_NAMES, alertsConfig } from '../../alerts/config.js';
import { RECORDING_RULES, renderRules } from '../../alerts/generate.js';
import { BILLING_ALERTS, REQUIRED_ALERTS, REQUIRED_RECORDING_RULES } from './required-alerts.js';
import { ALERTS_DIR, ROOT, RULES_FILE, asArray, isRecord, readText, requireBinary, runBinary } from './tools.js';

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const RUNBOOK_BASE =
  'https://github.com/whatsapp-business-exporter/whatsapp-business-exporter/blob/main/alerts/runbook.md#';
const TESTS_DIR = join(ALERTS_DIR, 'tests');
const testFiles = readdirSync(TESTS_DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort()
  .map((f) => join(TESTS_DIR, f));

function rulesOf(text: string): Rule[] {
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error('rules file is not a mapping');
  return asArray(doc.groups)
    .flatMap((g) => (isRecord(g) ? asArray(g.rules) : []))
    .map((r) => {
      if (!isRecord(r) || typeof r.expr !== 'string') throw new Error(`bad rule: ${JSON.stringify(r)}`);
      return {
        ...(typeof r.alert === 'string' ? { alert: r.alert } : {}),
        ...(typeof r.record === 'string' ? { record: r.record } : {}),
        ...(typeof r.for === 'string' ? { for: r.for } : {}),
        expr: r.expr,
        labels: (isRecord(r.labels) ? r.labels : {}) as Record<string, string>,
        annotations: (isRecord(r.annotations) ? r.annotations : {}) as Record<string, string>,
      };
    });
}

const committed = readText(RULES_FILE);
const rules = rulesOf(committed);
const alerts = rules.filter((r) => r.alert !== undefined);

/** Markdown headings of runbook.md as GitHub anchors. */
function runbookAnchors(): Set<string> {
  const anchors = new Set<string>();
  for (const line of readText(join(ALERTS_DIR, 'runbook.md')).split('\n')) {
    const m = /^#{1,6}\s+(.+?)\s*$/.exec(line);
    if (m?.[1] === undefined) continue;
    anchors.add(
      m[1]
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-'),
    );
  }
  return anchors;
}

describe('alerts/whatsapp.rules.yml', () => {
  let promtool = '';
  beforeAll(() => {
    promtool = requireBinary('promtool');
  });

  it('passes `promtool check rules --lint=all --lint-fatal`', async () => {
    const r = await runBinary(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', RULES_FILE]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.stdout + r.stderr).not.toMatch(/lint/i);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('has promtool unit test files', () => {
    expect(testFiles.length).toBeGreaterThan(0);
  });

  // One vitest case per file, run concurrently: promtool evaluates every rule at every step, which
  // takes a few seconds for the files with long windows.
  it.concurrent.each(testFiles.map((f) => [basename(f), f]))(
    'passes `promtool test rules alerts/tests/%s`',
    async (_name, file) => {
      const r = await runBinary(requireBinary('promtool'), ['test', 'rules', file], ROOT, 120_000);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toContain('SUCCESS');
    },
    120_000,
  );

  it('is what alerts/generate.ts produces (`generate.ts --check`)', async () => {
    expect(committed).toBe(renderRules());
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const r = await runBinary(tsx, [join(ALERTS_DIR, 'generate.ts'), '--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('contains every alert of the contract with its severity, and nothing else', () => {
    const found = new Map<string, string[]>();
    for (const a of alerts) found.set(a.alert ?? '', [...(found.get(a.alert ?? '') ?? []), a.labels.severity ?? '']);
    expect([...found.keys()].sort()).toEqual(Object.keys(REQUIRED_ALERTS).sort());
    for (const [name, severities] of Object.entries(REQUIRED_ALERTS)) {
      expect([...(found.get(name) ?? [])].sort(), name).toEqual([...severities].sort());
    }
    expect([...ALERT_NAMES].sort()).toEqual(Object.keys(REQUIRED_ALERTS).sort());
  });

  it('contains the recording rules, named level:metric:operation', () => {
    const records = rules.flatMap((r) => (r.record === undefined ? [] : [r.record]));
    expect(records.sort()).toEqual([...REQUIRED_RECORDING_RULES].sort());
    expect(Object.values(RECORDING_RULES).sort()).toEqual([...REQUIRED_RECORDING_RULES].sort());
    for (const r of records) expect(r).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });

  it('gives every alert severity, a summary naming its subject, a templated description and a runbook_url with a runbook section', () => {
    const anchors = runbookAnchors();
    for (const a of alerts) {
      const name = a.alert ?? '';
      expect(['critical', 'warning', 'info'], name).toContain(a.labels.severity);
      expect(a.annotations.summary, name).toMatch(/\S/);
      // A summary is one line for an e-mail subject or a chat title, naming the alert's subject in
      // words (the name looked up in its _info series, or the account).
      expect(a.annotations.summary, `${name} summary is one line`).not.toContain('\n');
      const subject = subjectOf(a.expr);
      if (subject) expect(a.annotations.summary, `${name} summary names its ${subject.id}`).toContain(subject.words);
      expect(a.annotations.description, `${name} description must be templated`).toContain('{{');
      expect(a.annotations.runbook_url, name).toBe(RUNBOOK_BASE + name.toLowerCase());
      expect(anchors.has(name.toLowerCase()), `runbook.md has no "## ${name}" section`).toBe(true);
    }
  });

  it('is summarised in the alert table of alerts/README.md with the configured durations', () => {
    const section =
      readText(join(ALERTS_DIR, 'README.md'))
        .split('<!-- alerts-table:start -->')[1]
        ?.split('<!-- alerts-table:end -->')[0] ?? '';
    const rows = section.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.map((r) => /^\| `([A-Za-z]+)`/.exec(r)?.[1]).sort()).toEqual([...ALERT_NAMES].sort());
    for (const name of ALERT_NAMES) {
      const row = rows.find((r) => r.startsWith(`| \`${name}\``)) ?? '';
      for (const severity of REQUIRED_ALERTS[name] ?? []) expect(row, name).toContain(severity);
      const forDuration = alertsConfig.alerts[name].for;
      if (forDuration !== '0s') expect(row, name).toContain(`for ${forDuration}`);
    }
  });

  it('marks billing alerts with team="billing" and the top-up / payment links', () => {
    for (const a of alerts) {
      const isBilling = (BILLING_ALERTS as readonly string[]).includes(a.alert ?? '');
      expect(a.labels.team === 'billing', a.alert).toBe(isBilling);
      if (!isBilling) continue;
      expect(a.annotations.top_up_url).toBe('{{ $labels.top_up_url }}');
      expect(a.annotations.payment_link_url).toBe('{{ $labels.payment_link_url }}');
      expect(a.expr).toContain('group_left (top_up_url, payment_link_url, customer)');
      expect(a.expr).toContain('whatsapp_billing_account_info');
    }
  });

  it('never keeps `instance` in the identity of business alerts (replicas must not double count)', () => {
    const perReplica = new Set([
      'WhatsAppExporterDown',
      'WhatsAppExporterSourceFailing',
      'WhatsAppExporterDataStale',
      'WhatsAppExporterConfigReloadFailed',
    ]);
    for (const a of alerts) {
      if (perReplica.has(a.alert ?? '')) continue;
      expect(a.expr, a.alert).not.toMatch(/by \([^)]*instance/);
      expect(a.expr, a.alert).not.toContain('without');
      // raw series are always aggregated (or come from a recording rule, which is)
      expect(a.expr.includes(' by (') || a.expr.includes(':'), a.alert).toBe(true);
    }
  });
});

/**
 * What an alert is about (the most specific id its expression keeps), and what its summary must
 * contain: the template query of that id's _info series, or the account label.
 */
const SUBJECTS: ReadonlyArray<{ id: string; words: string; info?: string }> = [
  {
    id: 'phone_number_id',
    words: 'whatsapp_phone_number_info{phone_number_id=%q}',
    info: 'whatsapp_phone_number_info',
  },
  { id: 'waba_id', words: 'whatsapp_business_account_info{waba_id=%q}', info: 'whatsapp_business_account_info' },
  { id: 'business_id', words: 'whatsapp_business_account_info{business_id=%q', info: 'whatsapp_business_account_info' },
  { id: 'account', words: '$labels.account' },
];
const subjectOf = (expr: string) => SUBJECTS.find((s) => new RegExp(`\\b${s.id}\\b`).test(expr));

describe('alerts/tests/*.yml coverage', () => {
  interface Case {
    file: string;
    alertname: string;
    firing: boolean;
    /** Metric names of the test's input series. */
    inputs: ReadonlySet<string>;
  }
  const cases: Case[] = [];
  let exprTests = 0;
  for (const file of testFiles) {
    const doc: unknown = parse(readText(file));
    if (!isRecord(doc)) continue;
    for (const t of asArray(doc.tests)) {
      if (!isRecord(t)) continue;
      exprTests += asArray(t.promql_expr_test).length;
      for (const c of asArray(t.alert_rule_test)) {
        if (!isRecord(c) || typeof c.alertname !== 'string') continue;
        const exp = asArray(c.exp_alerts);
        cases.push({
          file,
          alertname: c.alertname,
          firing: exp.length > 0,
          inputs: new Set(
            asArray(t.input_series).flatMap((i) =>
              isRecord(i) && typeof i.series === 'string' ? [i.series.replace(/\{.*$/, '')] : [],
            ),
          ),
        });
        for (const e of exp) {
          // fully pinned: labels (severity at least) and all the annotations
          expect(isRecord(e) && isRecord(e.exp_labels) && isRecord(e.exp_annotations), `${file} ${c.alertname}`).toBe(
            true,
          );
          if (!isRecord(e) || !isRecord(e.exp_labels) || !isRecord(e.exp_annotations)) continue;
          expect(e.exp_labels.severity, `${file} ${c.alertname}`).toBeDefined();
          for (const key of ['summary', 'description', 'runbook_url']) {
            expect(e.exp_annotations[key], `${file} ${c.alertname} ${key}`).toBeDefined();
          }
        }
      }
    }
  }

  it.each(Object.keys(REQUIRED_ALERTS))('%s has a firing and a not-firing test case', (name) => {
    const mine = cases.filter((c) => c.alertname === name);
    expect(
      mine.some((c) => c.firing),
      `no firing case for ${name}`,
    ).toBe(true);
    expect(
      mine.some((c) => !c.firing),
      `no not-firing case for ${name}`,
    ).toBe(true);
  });

  // Alerts in words: an alert about a number, WABA or portfolio has a firing case whose input has
  // the info series its names come from (the expected summary and description then show them).
  it.each(
    alerts.flatMap((a) => {
      const subject = subjectOf(a.expr);
      return subject?.info ? [[a.alert ?? '', subject.info] as const] : [];
    }),
  )('%s has a firing case with its names (%s)', (name, info) => {
    const named = cases.filter((c) => c.alertname === name && c.firing && c.inputs.has(info));
    expect(named.length, `${name}: no firing case with ${info} in its input`).toBeGreaterThan(0);
  });

  it('has no test case for an alert that does not exist', () => {
    for (const c of cases) expect(Object.keys(REQUIRED_ALERTS), c.file).toContain(c.alertname);
  });

  it.each([...REQUIRED_RECORDING_RULES])('recording rule %s has a promql_expr_test', (record) => {
    const text = testFiles.map(readText).join('\n');
    expect(text).toMatch(new RegExp(`expr: ${record.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(exprTests).toBeGreaterThan(0);
  });
});

describe('renderRules(overrides)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('shortens every `for:` with forAll and keeps the expressions', async () => {
    const short = rulesOf(renderRules({ forAll: '0s' }));
    expect(short.filter((r) => r.for !== undefined)).toEqual([]);
    const ten = rulesOf(renderRules({ forAll: '10s' }));
    for (const r of ten.filter((x) => x.alert !== undefined)) expect(r.for).toBe('10s');
    expect(ten.map((r) => r.expr)).toEqual(rules.map((r) => r.expr));
    const file = join(dir, 'short.rules.yml');
    writeFileSync(file, renderRules({ forAll: '0s' }));
    const r = await runBinary(requireBinary('promtool'), ['check', 'rules', '--lint=all', '--lint-fatal', file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('applies per-alert thresholds and the exporter selector', () => {
    const text = renderRules({
      exporterUpSelector: 'job="wa"',
      alerts: { WhatsAppMessagingLimitUsageHigh: { ratio: 0.5, for: '1m' } },
    });
    const high = rulesOf(text).find((r) => r.alert === 'WhatsAppMessagingLimitUsageHigh');
    // Customer-facing: the customer join wraps the condition (docs/customers.md).
    expect(high?.expr).toContain(
      '  business_id:whatsapp_messaging_limit_utilization:ratio > 0.5\n)\n* on (business_id) group_left (customer)',
    );
    expect(high?.for).toBe('1m');
    expect(high?.annotations.description).toContain('(threshold 50%)');
    expect(rulesOf(text).find((r) => r.alert === 'WhatsAppExporterDown')?.expr).toBe(
      'up{job="wa"} == 0 or absent(up{job="wa"})',
    );
    // defaults are untouched
    expect(renderRules()).toBe(committed);
  });

  it('rejects a malformed duration', () => {
    expect(() => renderRules({ forAll: '5 minutes' })).toThrow(/bad duration/);
  });
});
