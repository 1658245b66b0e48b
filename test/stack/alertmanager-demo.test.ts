// alerts/alertmanager.demo.yml (the compose demo's Alertmanager config) is generated from the
// shipped alerts/alertmanager.yml: same routing tree, every receiver a webhook to alert-log.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_AM_CONFIG, renderDemoConfig, SHIPPED_AM_CONFIG } from '../e2e/alertmanager-config.js';
import { binary, runBinary } from './tools.js';

describe('alerts/alertmanager.demo.yml', () => {
  it('is up to date with alerts/alertmanager.yml (run `npx tsx test/e2e/alertmanager-config.ts`)', () => {
    expect(readFileSync(DEMO_AM_CONFIG, 'utf8')).toBe(renderDemoConfig());
  });

  it('passes `amtool check-config` (templates included)', async () => {
    const r = await runBinary(binary('amtool'), ['check-config', DEMO_AM_CONFIG]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(' - 1 templates');
  });

  it('sends every notifying receiver to the local alert-log service, nothing outside', () => {
    const doc = parse(readFileSync(DEMO_AM_CONFIG, 'utf8')) as {
      global?: Record<string, unknown>;
      receivers: Array<Record<string, unknown>>;
    };
    expect(Object.keys(doc.global ?? {}).filter((k) => k.startsWith('smtp_'))).toEqual([]);
    for (const r of doc.receivers) {
      const integrations = Object.keys(r).filter((k) => k.endsWith('_configs'));
      if (r.name === 'null') expect(integrations).toEqual([]);
      else {
        expect(integrations).toEqual(['webhook_configs']);
        expect(JSON.stringify(r)).toContain(`http://alert-log:8080/${String(r.name)}`);
      }
    }
  });

  const cases: string[][] = [
    ['alertname=WhatsAppCreditBalanceLow', 'severity=critical', 'team=billing', 'account=main', 'currency=USD'],
    ['alertname=WhatsAppCreditBalanceRunwayShort', 'severity=warning', 'team=billing', 'account=main'],
    ['alertname=WhatsAppQualityRatingRed', 'severity=critical', 'business_id=1'],
    ['alertname=WhatsAppQualityRatingYellow', 'severity=warning', 'business_id=1'],
    ['alertname=WhatsAppExporterDown', 'severity=critical', 'job=whatsapp-business-exporter'],
    ['alertname=Something', 'severity=info'],
    ['alertname=Something'],
  ];
  it.each(cases.map((c) => [c.join(' '), c]))('routes like the shipped config: %s', async (_n, labels) => {
    const amtool = binary('amtool');
    const route = async (file: string) =>
      (await runBinary(amtool, ['config', 'routes', 'test', `--config.file=${file}`, ...labels])).stdout.trim();
    const shipped = await route(SHIPPED_AM_CONFIG);
    expect(shipped).not.toBe('');
    expect(await route(DEMO_AM_CONFIG)).toBe(shipped);
  });
});
