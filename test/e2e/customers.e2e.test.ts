// A customer's own e-mail, for real: two customers of a BSP, each with its wallet and portfolio;
// acme's wallet falls below its threshold. The exporter (meta mode against the sandbox) → a real
// Prometheus (the generated rules, `for: 0s`) → a real Alertmanager running the configuration
// `alertmanager-config` generates (the shipped tree plus the customers' routes; the operator's own
// receivers pointed at a local webhook server) → a real SMTP server on 127.0.0.1 (smtp-server,
// parsed with mailparser). Acme gets one e-mail with the balance, the runway, the numbers that stop
// and its payment link, and no e-mail of one customer mentions the other; the operator's routes
// still get the alert.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { parse as parseYaml, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRules } from '../../alerts/generate.js';
import type { RulesOverrides } from '../../alerts/config.js';
import { ALERT_NAMES } from '../../src/policy/index.js';
import { withCustomers } from '../../src/alertmanager/customers.js';
import { harness, type Harness } from '../helpers/harness.js';
import { localAlertmanagerConfig, ROOT, SHIPPED_AM_CONFIG } from './alertmanager-config.js';
import {
  freePort,
  localPrometheusConfig,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  waitFor,
  type Child,
  type PromVector,
  type WebhookReceiver,
} from './processes.js';

const JOB = 'e2e-customers';
const PAY_ACME = 'https://pay.example.com/acme-wallet';
const TIMEOUT_MS = 60_000;

interface Mail {
  from: string;
  to: string[];
  parsed: ParsedMail;
  raw: string;
}

describe('a customer hears about its own low balance by e-mail (real Alertmanager, real SMTP)', () => {
  let h: Harness;
  let dir = '';
  let smtp: SMTPServer;
  let smtpPort = 0;
  const mails: Mail[] = [];
  let receiver: WebhookReceiver;
  let am: Child | undefined;
  let prom: (Child & { query(expr: string): Promise<PromVector> }) | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wbe-e2e-customers-'));
    // 1. A real SMTP server that keeps every message (no auth, no TLS: loopback only).
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              mails.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
                parsed,
                raw,
              });
              done();
            },
            (err: Error) => done(err),
          );
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;

    // 2. The exporter against the sandbox: two portfolios, a wallet each (the same simulated wallet
    // read twice; acme's threshold is above its balance, globex's below), each a customer's.
    h = await harness({
      sandbox: { phoneNumbers: 6, wabas: 2, businesses: 2 },
      sandboxUrlPlaceholder: 'SANDBOX',
      config: {
        sources: { graph_accounts: { interval: '1s' }, graph_limits: { interval: '5s' } },
        billing: {
          meta_pricing: { enabled: false },
          accounts: [
            {
              name: 'acme-wallet',
              provider: 'http_json',
              url: 'SANDBOX/wallet/v1/balance',
              balance_path: 'balance',
              currency_path: 'currency',
              interval: '1s',
              thresholds: { low: 1_000 },
              payment_link_url: PAY_ACME,
              business_ids: ['500000000000001'],
            },
            {
              name: 'globex-wallet',
              provider: 'http_json',
              url: 'SANDBOX/wallet/v1/balance',
              balance_path: 'balance',
              currency_path: 'currency',
              interval: '1s',
              thresholds: { low: 1 },
              business_ids: ['500000000000002'],
            },
          ],
        },
        customers: [
          {
            name: 'acme',
            business_ids: ['500000000000001'],
            billing_accounts: ['acme-wallet'],
            email: ['finance@acme.example'],
          },
          {
            name: 'globex',
            business_ids: ['500000000000002'],
            billing_accounts: ['globex-wallet'],
            email: ['billing@globex.example'],
          },
        ],
      },
    });

    // 3. Alertmanager: the generated configuration (the shipped tree + the customers' routes), the
    // operator's receivers → the local webhook server, e-mail → the local SMTP server, short timings.
    receiver = await startWebhookReceiver();
    const generated = stringify(
      withCustomers(parseYaml(readFileSync(SHIPPED_AM_CONFIG, 'utf8')), h.exp.config().customers),
    );
    writeFileSync(join(dir, 'generated-alertmanager.yml'), generated);
    am = await startAlertmanager({
      config: localAlertmanagerConfig(generated, {
        webhookBase: receiver.url,
        templatesDir: join(ROOT, 'alerts', 'templates'),
        timings: { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' },
        keep: (name) => name.startsWith('customer-'),
        smtp: { smarthost: `127.0.0.1:${smtpPort}`, from: 'alerts@bsp.example' },
      }),
      dir: join(dir, 'am'),
    });

    // 4. Prometheus: the shipped prometheus.yml with local addresses and the generated rules.
    const rulesFile = join(dir, 'whatsapp.rules.yml');
    // Every alert at once, but the low balance after 15 s: by then the balance's falls give a spend
    // rate, so the e-mail carries a runway (in production the alert's own `for` gives that time).
    const alerts = Object.fromEntries(
      ALERT_NAMES.map((n) => [n, { for: n === 'WhatsAppCreditBalanceLow' ? '15s' : '0s' }]),
    ) as NonNullable<RulesOverrides['alerts']>;
    writeFileSync(rulesFile, renderRules({ alerts, exporterUpSelector: `job="${JOB}"` }));
    const promPort = await freePort();
    prom = await startPrometheus({
      port: promPort,
      dir: join(dir, 'prom'),
      config: localPrometheusConfig(readFileSync(join(ROOT, 'prometheus.yml'), 'utf8'), {
        exporter: new URL(h.exp.url).host,
        alertmanager: new URL(am.url).host,
        self: `127.0.0.1:${promPort}`,
        rulesFile,
        interval: '1s',
        exporterJob: JOB,
      }),
    });
  }, 120_000);

  afterAll(async () => {
    await prom?.stop();
    await am?.stop();
    await receiver?.close();
    await h?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("acme gets one e-mail about its wallet (balance, runway, numbers, payment link); nothing of acme's reaches globex; the operator still gets it", async () => {
    const diagnostics = () =>
      `\n--- prometheus ---\n${prom?.output().slice(-2000) ?? ''}\n--- alertmanager ---\n${am?.output().slice(-3000) ?? ''}`;
    await waitFor(
      async () => mails.some((m) => m.to.includes('finance@acme.example') && m.parsed.subject?.includes('acme-wallet')),
      TIMEOUT_MS,
      () => `no e-mail reached acme${diagnostics()}`,
    );
    // The operator's routes got the same alert (pager: below the only threshold pages).
    await receiver.waitFor(
      (a, n) => n.path === 'pager' && a.labels.alertname === 'WhatsAppCreditBalanceLow' && a.labels.customer === 'acme',
      TIMEOUT_MS,
      0,
    );
    // Give a wrongly routed e-mail time to arrive before asserting there is none.
    await new Promise((r) => setTimeout(r, 3_000));

    // Each customer hears about its own accounts and portfolios only: globex also gets mail (its
    // shared-wallet runway and its paused template are its own alerts), never one about acme.
    console.info(mails.map((m) => `${m.to.join(',')}: ${m.parsed.subject}`).join('\n'));
    const about = (m: Mail) => `${m.parsed.subject ?? ''} ${m.parsed.text ?? ''}`;
    for (const m of mails) {
      expect(m.to, m.parsed.subject).toHaveLength(1);
      if (m.to[0] === 'billing@globex.example') expect(about(m)).not.toMatch(/acme/i);
      else {
        expect(m.to[0]).toBe('finance@acme.example');
        expect(about(m)).not.toMatch(/globex/i);
      }
    }
    const toAcme = mails.filter(
      (m) => m.to.includes('finance@acme.example') && m.parsed.subject?.includes('acme-wallet'),
    );
    expect(toAcme).toHaveLength(1);
    const mail = toAcme[0] as Mail;
    expect(mail.from).toBe('alerts@bsp.example');
    expect(mail.parsed.subject).toBe(
      'Action needed: WhatsApp messaging credit (acme-wallet) - WhatsApp messaging credit of acme-wallet is below its low threshold.',
    );
    const text = (mail.parsed.text ?? '').replace(/\s+/g, ' ');
    expect(text).toMatch(
      /Billing account acme-wallet has \d+\.\d\d USD of messaging credit left, below its low threshold of 1000\.00 USD\./,
    );
    // The runway: the wallet burns, so the balance's falls give a spend rate.
    expect(text).toMatch(/At the spend rate of the last 6h \(from the balance\) it runs out in \d+m/);
    // Portfolio 500000000000001 has 3 of the sandbox's 6 numbers.
    expect(text).toContain('3 numbers stop sending when it is empty: ');
    expect(text).toContain(`Pay via link: ${PAY_ACME}`);
    expect(mail.parsed.html || '').toContain(`<a href="${PAY_ACME}"`);
    expect(text).not.toContain('runbook');
    // For the closing note: the e-mail as received (its headers, then the text body).
    const head = mail.raw.slice(0, mail.raw.search(/\r?\n\r?\n/));
    const shown = head
      .split(/\r?\n(?=\S)/)
      .filter((l) => /^(From|To|Subject|Date|Message-Id|Content-Type|MIME-Version):/i.test(l));
    console.info(`--- e-mail received by finance@acme.example ---\n${shown.join('\n')}\n\n${mail.parsed.text ?? ''}`);
  }, 120_000);
});
