// `whatsapp-business-exporter alertmanager-config`: the shipped routing tree plus one route and
// receiver per customer. The real amtool checks the generated file and routes alerts through it:
// each customer's alerts reach that customer only (and still the operator's routes), an alert with
// no customer reaches the operator only, and a customer never gets the operator's own alerts.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { withCustomers } from '../../src/alertmanager/customers.js';
import { CUSTOMER_ALERT_NAMES } from '../../src/policy/index.js';
import { requireBinary, runBinary } from './tools.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const FIXTURE = 'test/fixtures/config/good/customers.yml';
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '' },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('alertmanager-config', () => {
  let dir = '';
  let file = '';
  let amtool = '';
  let printed = '';
  beforeAll(async () => {
    amtool = requireBinary('amtool');
    dir = mkdtempSync(join(tmpdir(), 'wbe-am-'));
    // Where Alertmanager would read it: next to the shipped templates.
    cpSync(join(root, 'alerts/templates'), join(dir, 'templates'), { recursive: true });
    const r = await cli(['alertmanager-config', `--config.file=${FIXTURE}`]);
    expect(r.code, r.stderr).toBe(0);
    printed = r.stdout;
    file = join(dir, 'alertmanager.yml');
    writeFileSync(file, printed);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a configuration amtool accepts, with the templates', async () => {
    const r = await runBinary(amtool, ['check-config', file]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(' - 1 templates');
    const doc = parse(printed) as { receivers: Array<{ name: string; email_configs?: Array<{ to: string }> }> };
    const byName = new Map(doc.receivers.map((x) => [x.name, x]));
    expect(byName.get('customer-acme')?.email_configs?.[0]?.to).toBe('finance@acme.example');
    expect(byName.get('customer-globex')?.email_configs?.[0]?.to).toBe('billing@globex.example, cfo@globex.example');
    // The shipped receivers are all still there.
    for (const r of ['null', 'pager', 'finance-email', 'chat']) expect(byName.has(r), r).toBe(true);
  });

  // [labels, receivers in routing-tree order]
  const cases: Array<[string, string[], string[]]> = [
    [
      "acme's low balance: acme, and the operator's pager and finance",
      [
        'alertname=WhatsAppCreditBalanceLow',
        'severity=critical',
        'team=billing',
        'account=acme-wallet',
        'customer=acme',
      ],
      ['customer-acme', 'pager', 'finance-email'],
    ],
    [
      "globex's runway warning: globex, the operator's finance and chat",
      [
        'alertname=WhatsAppCreditBalanceRunwayShort',
        'severity=warning',
        'team=billing',
        'account=globex-wallet',
        'customer=globex',
      ],
      ['customer-globex', 'finance-email', 'chat'],
    ],
    [
      "acme's RED number: acme and the pager, not globex",
      ['alertname=WhatsAppQualityRatingRed', 'severity=critical', 'business_id=500000000000001', 'customer=acme'],
      ['customer-acme', 'pager'],
    ],
    [
      "globex's paused template: globex and chat",
      ['alertname=WhatsAppTemplatePaused', 'severity=warning', 'business_id=500000000000002', 'customer=globex'],
      ['customer-globex', 'chat'],
    ],
    [
      'a low balance without a customer: the operator only',
      ['alertname=WhatsAppCreditBalanceLow', 'severity=critical', 'team=billing', 'account=house'],
      ['pager', 'finance-email'],
    ],
    [
      "an operator alert about acme's portfolio (a source failing): not sent to acme",
      ['alertname=WhatsAppExporterSourceFailing', 'severity=warning', 'business_id=500000000000001', 'customer=acme'],
      ['chat'],
    ],
  ];

  it.each(cases)('routes: %s', async (_name, labels, receivers) => {
    const r = await runBinary(amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${file}`,
      `--verify.receivers=${receivers.join(',')}`,
      ...labels,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(receivers.join(','));
  });

  it('every customer-facing alert reaches its customer; the routes name exactly the policy table', () => {
    const doc = parse(printed) as { route: { routes: Array<{ receiver: string; matchers: string[] }> } };
    const acme = doc.route.routes.find((r) => r.receiver === 'customer-acme');
    expect(acme?.matchers).toEqual(['customer="acme"', `alertname=~"${CUSTOMER_ALERT_NAMES.join('|')}"`]);
  });

  it('--customers-only prints the subtree alone: routes and receivers to merge', async () => {
    const r = await cli(['alertmanager-config', `--config.file=${FIXTURE}`, '--customers-only']);
    expect(r.code).toBe(0);
    const doc = parse(r.stdout) as { routes: unknown[]; receivers: Array<{ name: string }> };
    expect(Object.keys(doc)).toEqual(['routes', 'receivers']);
    expect(doc.receivers.map((x) => x.name)).toEqual(['customer-acme', 'customer-globex']);
  });

  it('a base without a routing tree, or with a customer receiver already, is an error with the reason', async () => {
    const config = loadConfig({ file: join(root, FIXTURE), env: {} });
    expect(() => withCustomers({ receivers: [] }, config.customers)).toThrow('no route or no receivers');
    expect(() => withCustomers({ route: {}, receivers: [{ name: 'customer-acme' }] }, config.customers)).toThrow(
      'already has a receiver named "customer-acme"',
    );
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'receivers: []\n');
    const r = await cli(['alertmanager-config', `--config.file=${FIXTURE}`, `--alertmanager.base=${bad}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('alertmanager-config: the base Alertmanager configuration has no route');
  });
});
