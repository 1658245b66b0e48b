// The Alertmanager examples are YAML and cannot import src/policy, so they are checked against
// it: each severity reaches the receiver SEVERITY_RECEIVERS names, and every shipped alert (with
// the labels its rule sets) reaches the receiver of its severity, in both the shipped example and
// the compose demo's copy.
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, SEVERITY_RECEIVERS } from '../../src/policy/index.js';
import { ALERTS_DIR, RULES_FILE, asArray, isRecord, readText, requireBinary, runBinary } from '../alerts/tools.js';

const CONFIGS = ['alertmanager.yml', 'alertmanager.demo.yml'];

/** Labels of every alerting rule in the committed rules file (one entry per rule). */
function ruleLabels(): Array<{ alert: string; labels: Record<string, string> }> {
  const doc: unknown = parse(readText(RULES_FILE));
  const rules = isRecord(doc) ? asArray(doc.groups).flatMap((g) => (isRecord(g) ? asArray(g.rules) : [])) : [];
  return rules.filter(isRecord).flatMap((r) => {
    if (typeof r.alert !== 'string' || !isRecord(r.labels)) return [];
    return [{ alert: r.alert, labels: r.labels as Record<string, string> }];
  });
}

describe.each(CONFIGS)('alerts/%s routes by the policy severities', (file) => {
  const config = join(ALERTS_DIR, file);
  let amtool = '';
  beforeAll(() => {
    amtool = requireBinary('amtool');
  });
  const receivers = async (labels: string[]): Promise<string[]> => {
    const r = await runBinary(amtool, ['config', 'routes', 'test', `--config.file=${config}`, ...labels]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    return r.stdout.trim().split(',');
  };

  it.each(SEVERITIES)('severity=%s reaches its receiver', async (severity) => {
    expect(await receivers(['alertname=Anything', `severity=${severity}`])).toEqual([SEVERITY_RECEIVERS[severity]]);
  });

  it('every shipped alert reaches the receiver of its severity', async () => {
    for (const { alert, labels } of ruleLabels()) {
      const severity = labels.severity as keyof typeof SEVERITY_RECEIVERS;
      const got = await receivers([`alertname=${alert}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
      expect(got, alert).toContain(SEVERITY_RECEIVERS[severity]);
    }
  });
});
