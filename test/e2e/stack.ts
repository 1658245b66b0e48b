// `npm run stack`: the whole alerting stack without Docker, on 127.0.0.1.
//
//   exporter       in this process (sandbox mode unless WHATSAPP_ACCESS_TOKEN or --config.file says otherwise)
//   Prometheus     prometheus.yml with local addresses, rules from alerts/whatsapp.rules.yml
//   Alertmanager   alerts/alertmanager.yml's routing tree, every receiver → the alert log below
//   alert log      prints each notification (receiver, status, alert, labels, top-up link)
//
// Flags: --config.file=PATH       exporter config (default: none → sandbox demo)
//        --fast-alerts            every `for:` 0s and Alertmanager waits of 1 s (see alerts fire at once)
//        --exporter-port=9914 --prometheus-port=9090 --alertmanager-port=9093 --alert-log-port=9096
// Needs the Debian packages prometheus and prometheus-alertmanager (sh test/install-deps.sh).
// Ctrl-C stops everything (Prometheus and Alertmanager by PID) and removes the temp directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { renderRules } from '../../alerts/generate.js';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { localAlertmanagerConfig, ROOT, SHIPPED_AM_CONFIG } from './alertmanager-config.js';
import {
  localPrometheusConfig,
  startAlertmanager,
  startPrometheus,
  startWebhookReceiver,
  type Child,
  type Received,
  type WebhookReceiver,
} from './processes.js';

const { values: v } = parseArgs({
  options: {
    'config.file': { type: 'string' },
    'fast-alerts': { type: 'boolean', default: false },
    'exporter-port': { type: 'string', default: '9914' },
    'prometheus-port': { type: 'string', default: '9090' },
    'alertmanager-port': { type: 'string', default: '9093' },
    'alert-log-port': { type: 'string', default: '9096' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (v.help) {
  process.stdout.write(
    `${readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .map((l) => l.slice(3))
      .join('\n')}\n`,
  );
  process.exit(0);
}

const port = (s: string | undefined): number => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`not a port: ${s}`);
  return n;
};

const dir = mkdtempSync(join(tmpdir(), 'wbe-stack-'));
const log = pino({ level: 'info', base: { app: 'whatsapp-business-exporter' } });
let exporter: RunningExporter | undefined;
let alertLog: WebhookReceiver | undefined;
let am: Child | undefined;
let prom: Child | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    process.stderr.write('\nstopping the stack…\n');
    await Promise.allSettled([prom?.stop(), am?.stop()]);
    await Promise.allSettled([exporter?.close(), alertLog?.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

function printNotification(n: Received): void {
  for (const a of n.body.alerts) {
    const subject =
      a.labels.account ??
      a.labels.phone_number_id ??
      a.labels.waba_id ??
      a.labels.business_id ??
      a.labels.credential ??
      a.labels.instance ??
      '';
    const link = a.annotations.top_up_url ? `  top-up: ${a.annotations.top_up_url}` : '';
    process.stdout.write(
      `[alert-log] ${new Date(n.at).toISOString()} → ${n.path.padEnd(13)} ${a.status.toUpperCase().padEnd(8)} ${a.labels.alertname ?? '?'} (${a.labels.severity ?? '-'}) ${subject}${link}\n`,
    );
  }
}

async function main(): Promise<void> {
  const file = v['config.file'];
  const load = () => loadConfig({ file, flags: file ? {} : { storagePath: join(dir, 'exporter-data') } });
  const config = load();
  exporter = await startExporter({
    config,
    logger: log,
    listen: { host: '127.0.0.1', port: port(v['exporter-port']) },
    userSetIntervals: file !== undefined && /\binterval:/.test(readFileSync(file, 'utf8')),
    reloadConfig: file ? load : undefined,
  });
  process.on('SIGHUP', () => void exporter?.reload());

  alertLog = await startWebhookReceiver({ port: port(v['alert-log-port']), onNotification: printNotification });

  const fast = v['fast-alerts'] === true;
  am = await startAlertmanager({
    port: port(v['alertmanager-port']),
    dir: join(dir, 'alertmanager'),
    echo: true,
    config: localAlertmanagerConfig(readFileSync(SHIPPED_AM_CONFIG, 'utf8'), {
      webhookBase: alertLog.url,
      templatesDir: join(ROOT, 'alerts', 'templates'),
      timings: fast ? { groupWait: '1s', groupInterval: '1s', repeatInterval: '1h' } : undefined,
    }),
  });

  let rulesFile = join(ROOT, 'alerts', 'whatsapp.rules.yml');
  if (fast) {
    rulesFile = join(dir, 'whatsapp.rules.yml');
    writeFileSync(rulesFile, renderRules({ forAll: '0s' }));
  }
  const promPort = port(v['prometheus-port']);
  prom = await startPrometheus({
    port: promPort,
    dir: join(dir, 'prometheus'),
    echo: true,
    config: localPrometheusConfig(readFileSync(join(ROOT, 'prometheus.yml'), 'utf8'), {
      exporter: new URL(exporter.url).host,
      alertmanager: new URL(am.url).host,
      self: `127.0.0.1:${promPort}`,
      rulesFile,
    }),
  });

  const sb = exporter.sandbox;
  process.stdout.write(
    [
      '',
      `whatsapp-business-exporter stack is up (${exporter.config().mode} mode${fast ? ', fast alerts' : ''}):`,
      `  exporter      ${exporter.url}/metrics`,
      `  prometheus    ${prom.url}/alerts`,
      `  alertmanager  ${am.url}`,
      `  alert log     ${alertLog.url}  (notifications are printed below as [alert-log] lines)`,
      ...(sb
        ? [
            `  sandbox       ${sb.url}  (simulated Graph API and wallet)`,
            '',
            'Try it (another terminal):',
            `  curl -s -XPOST ${sb.url}/_sandbox/billing/balance -H 'content-type: application/json' -d '{"balance": 50}'   # low balance`,
            `  curl -s -XPOST ${sb.url}/_sandbox/billing/topup -H 'content-type: application/json' -d '{"amount": 1000}'   # top up`,
            `  curl -s -XPOST ${sb.url}/_sandbox/phones/${sb.state.phoneIds()[0] ?? ''} -H 'content-type: application/json' -d '{"quality_rating": "RED"}'   # quality RED`,
            fast
              ? ''
              : '  (alerts wait for their `for:` duration, e.g. 5m for a low balance; --fast-alerts fires them at once)',
          ]
        : []),
      'Grafana is not started here (use docker compose); point one at the Prometheus above to use dashboards/.',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch(async (err: unknown) => {
  process.stderr.write(`stack failed to start: ${(err as Error)?.stack ?? String(err)}\n`);
  await stop(1);
});
