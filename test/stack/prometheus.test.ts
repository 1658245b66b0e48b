// prometheus.yml: valid for the promtool CI runs, rule files resolvable from the file's own
// directory, and consistent with the alert rules, the compose services and Grafana.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { alertsConfig } from '../../alerts/config.js';
import { binary, PROMETHEUS_FILE, resolvedCompose, ROOT, runBinary, type ResolvedCompose } from './tools.js';

interface PromConfig {
  global?: { scrape_interval?: string; scrape_timeout?: string; evaluation_interval?: string };
  rule_files?: string[];
  alerting?: { alertmanagers?: Array<{ static_configs?: Array<{ targets?: string[] }> }> };
  scrape_configs?: Array<{ job_name: string; metrics_path?: string; static_configs?: Array<{ targets?: string[] }> }>;
}

const config = parse(readFileSync(PROMETHEUS_FILE, 'utf8')) as PromConfig;

describe('prometheus.yml', () => {
  let c: ResolvedCompose;
  beforeAll(async () => {
    c = await resolvedCompose();
  });

  it('passes `promtool check config` (rule files included)', async () => {
    const r = await runBinary(binary('promtool'), ['check', 'config', PROMETHEUS_FILE]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS: 1 rule files found');
  });

  it('loads the generated rules, relative to the file (as mounted in compose)', () => {
    expect(config.rule_files).toEqual(['alerts/whatsapp.rules.yml']);
    for (const f of config.rule_files ?? []) expect(existsSync(join(dirname(PROMETHEUS_FILE), f)), f).toBe(true);
  });

  it('scrapes the exporter under the job name WhatsAppExporterDown selects', () => {
    const m = /^job="([^"]+)"$/.exec(alertsConfig.exporterUpSelector);
    expect(
      m,
      `exporterUpSelector ${alertsConfig.exporterUpSelector} is no longer a plain job matcher: update this test`,
    ).not.toBeNull();
    const job = config.scrape_configs?.find((s) => s.job_name === m?.[1]);
    expect(job).toBeDefined();
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job?.static_configs?.flatMap((s) => s.targets ?? [])).toEqual(['exporter:9914']);
  });

  it('targets compose services that exist, on their ports', () => {
    expect(Object.keys(c.services)).toContain('exporter');
    const am =
      config.alerting?.alertmanagers?.flatMap((a) => a.static_configs ?? []).flatMap((s) => s.targets ?? []) ?? [];
    expect(am).toEqual(['alertmanager:9093']);
    expect(Object.keys(c.services)).toContain('alertmanager');
  });

  it('scrapes at the interval the Grafana datasource assumes ($__rate_interval), with timeout below it', () => {
    const ds = parse(
      readFileSync(join(ROOT, 'dashboards', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources?: Array<{ jsonData?: { timeInterval?: string } }> };
    expect(config.global?.scrape_interval).toBe(ds.datasources?.[0]?.jsonData?.timeInterval);
    const s = (d: string | undefined) => Number(/^(\d+)s$/.exec(d ?? '')?.[1] ?? NaN);
    expect(s(config.global?.scrape_timeout)).toBeLessThan(s(config.global?.scrape_interval));
    expect(config.global?.evaluation_interval).toBeDefined();
  });
});
