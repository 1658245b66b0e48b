// alerts/alertmanager.yml: valid for Alertmanager 0.25 and routed as documented.
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_ALERTS } from './required-alerts.js';
import { AM_CONFIG, asArray, isRecord, readText, requireBinary, runBinary } from './tools.js';

describe('alerts/alertmanager.yml', () => {
  let amtool = '';
  beforeAll(() => {
    amtool = requireBinary('amtool');
  });

  it('passes `amtool check-config` (templates included)', async () => {
    const r = await runBinary(amtool, ['check-config', AM_CONFIG]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
    expect(r.stdout).toContain(' - 1 templates');
  });

  // [labels, receivers in routing-tree order]
  const cases: Array<[string, string[], string[]]> = [
    [
      'critical billing alert pages AND mails finance',
      ['alertname=WhatsAppCreditBalanceLow', 'severity=critical', 'team=billing', 'account=main', 'currency=USD'],
      ['pager', 'finance-email'],
    ],
    [
      'critical billing alert (exhausted)',
      ['alertname=WhatsAppCreditBalanceExhausted', 'severity=critical', 'team=billing', 'account=main'],
      ['pager', 'finance-email'],
    ],
    [
      'billing warning goes to finance and chat',
      ['alertname=WhatsAppCreditBalanceRunwayShort', 'severity=warning', 'team=billing', 'account=main'],
      ['finance-email', 'chat'],
    ],
    [
      'critical non-billing alert pages only',
      ['alertname=WhatsAppQualityRatingRed', 'severity=critical', 'business_id=3001'],
      ['pager'],
    ],
    [
      'critical exporter alert pages only',
      ['alertname=WhatsAppExporterDown', 'severity=critical', 'job=whatsapp-business-exporter'],
      ['pager'],
    ],
    [
      'critical stale billing data pages (source label, not team)',
      ['alertname=WhatsAppExporterDataStale', 'severity=critical', 'source=billing'],
      ['pager'],
    ],
    [
      'warning goes to chat',
      ['alertname=WhatsAppQualityRatingYellow', 'severity=warning', 'business_id=3001'],
      ['chat'],
    ],
    ['info goes nowhere', ['alertname=Something', 'severity=info'], ['null']],
    ['no severity falls back to null', ['alertname=Something'], ['null']],
  ];

  it.each(cases)('routes: %s', async (_name, labels, receivers) => {
    const r = await runBinary(amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${AM_CONFIG}`,
      `--verify.receivers=${receivers.join(',')}`,
      ...labels,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(receivers.join(','));
  });

  it('fails the routing check when the receivers are wrong (the check is real)', async () => {
    const r = await runBinary(amtool, [
      'config',
      'routes',
      'test',
      `--config.file=${AM_CONFIG}`,
      '--verify.receivers=chat',
      'severity=critical',
    ]);
    expect(r.code).not.toBe(0);
  });

  const doc: unknown = parse(readText(AM_CONFIG));
  const config = isRecord(doc) ? doc : {};

  it('inhibits a warning only by the matching critical, for the same account / portfolio / number', () => {
    const rules = asArray(config.inhibit_rules).filter(isRecord);
    const names = (matchers: unknown): string[] =>
      asArray(matchers).flatMap((m) => {
        const x = /^alertname=~?"([^"]+)"$/.exec(String(m));
        return x?.[1] === undefined ? [] : x[1].split('|');
      });
    const pairs = rules.flatMap((r) =>
      names(r.source_matchers).flatMap((s) => names(r.target_matchers).map((t) => `${s}>${t}`)),
    );
    expect(pairs).toEqual(
      expect.arrayContaining([
        'WhatsAppQualityRatingRed>WhatsAppQualityRatingYellow',
        'WhatsAppSendingBlocked>WhatsAppSendingLimited',
        'WhatsAppMessagingLimitUsageCritical>WhatsAppMessagingLimitUsageHigh',
        'WhatsAppCreditBalanceLow>WhatsAppCreditBalanceRunwayShort',
        'WhatsAppCreditBalanceExhausted>WhatsAppCreditBalanceRunwayShort',
        'WhatsAppAccessTokenInvalid>WhatsAppAccessTokenExpiringSoon',
        'WhatsAppExporterDown>WhatsAppExporterSourceFailing',
        'WhatsAppExporterDown>WhatsAppExporterDataStale',
      ]),
    );
    for (const r of rules) {
      // every rule names existing alerts and pins the identity it applies to
      for (const n of [...names(r.source_matchers), ...names(r.target_matchers)])
        expect(Object.keys(REQUIRED_ALERTS)).toContain(n);
      expect(asArray(r.equal).length).toBeGreaterThan(0);
    }
  });

  it('groups by incident identity, not alert name, with sane timings', () => {
    const route = isRecord(config.route) ? config.route : {};
    const groupBy = asArray(route.group_by).map(String);
    expect(groupBy).not.toContain('alertname');
    expect(groupBy).toEqual(expect.arrayContaining(['account', 'business_id', 'waba_id']));
    expect(route.group_wait).toBe('30s');
    expect(route.group_interval).toBe('5m');
    const pager = asArray(route.routes)
      .filter(isRecord)
      .find((r) => r.receiver === 'pager');
    expect(pager?.continue).toBe(true);
    expect(pager?.repeat_interval).toBe('4h');
  });

  it('mails finance with the top-up and payment links', () => {
    const tmpl = readText(new URL('../../alerts/templates/whatsapp.tmpl', import.meta.url).pathname);
    expect(tmpl).toContain('.Annotations.top_up_url');
    expect(tmpl).toContain('.Annotations.payment_link_url');
    const finance = asArray(config.receivers)
      .filter(isRecord)
      .find((r) => r.name === 'finance-email');
    const email = asArray(finance?.email_configs).filter(isRecord)[0];
    expect(email?.html).toContain('whatsapp.finance.html');
    expect(email?.text).toContain('whatsapp.finance.text');
  });
});
