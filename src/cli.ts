#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { ConfigError, StartError } from './config/errors.js';
import { preflight, preflightWarnings } from './preflight.js';
import { forPrinting, redactorOf, type Redactor } from './config/redact.js';
import { familyFilter } from './metric-catalog.js';
import { loadConfig } from './config/load.js';
import type { Config } from './config/config.js';
import { startExporter } from './main.js';
import { VERSION } from './version.js';

const HELP = `whatsapp-business-exporter ${VERSION}
Prometheus exporter for the WhatsApp Business Platform (Meta Graph API).

Usage:
  whatsapp-business-exporter [flags]                 run the exporter (sandbox when no Meta token is set)
  whatsapp-business-exporter check-config [flags]    validate the configuration, print it (secrets as <secret>), exit
  whatsapp-business-exporter sandbox [flags]         run only the Graph API simulator
  whatsapp-business-exporter alertmanager-config [flags]
                                                     print an Alertmanager configuration: the shipped routing
                                                     tree plus one route and receiver per configured customer

Flags:
  --config.file=PATH           YAML config file (env WHATSAPP_EXPORTER_CONFIG)
  --web.listen-address=ADDR    listen address (default :9914)
  --web.telemetry-path=PATH    metrics path (default /metrics)
  --web.enable-openmetrics     serve OpenMetrics to scrapers that ask for it (default: text format only)
  --storage.path=DIR           state directory (default ./data)
  --log.level=LEVEL            trace|debug|info|warn|error (default info)
  --shard=I/N                  run as shard I of N (1-based, e.g. 2/3; env WHATSAPP_EXPORTER_SHARD);
                               auto/N on a StatefulSet: I = the ordinal ending POD_NAME + 1
  --help, --version

alertmanager-config flags: --alertmanager.base=PATH (the tree to add to; default: the shipped
alerts/alertmanager.yml), --customers-only (print only the customers' routes and receivers, to merge
into your own tree). The output holds the customers' webhook URLs: write it to a protected file.

Sandbox flags: --port=N (default 9915) --phone-numbers=N --wabas=N --businesses=N --scenario=demo|static

Environment (single account): WHATSAPP_ACCESS_TOKEN or WHATSAPP_ACCESS_TOKEN_FILE,
WHATSAPP_BUSINESS_IDS and/or WHATSAPP_WABA_IDS (comma-separated), WHATSAPP_GRAPH_API_URL,
WHATSAPP_GRAPH_API_VERSION. HTTPS_PROXY / NO_PROXY are honoured.
`;

const OPTIONS = {
  'config.file': { type: 'string' },
  'web.listen-address': { type: 'string' },
  'web.telemetry-path': { type: 'string' },
  'web.enable-openmetrics': { type: 'boolean' },
  'storage.path': { type: 'string' },
  'log.level': { type: 'string' },
  shard: { type: 'string' },
  port: { type: 'string' },
  'phone-numbers': { type: 'string' },
  wabas: { type: 'string' },
  businesses: { type: 'string' },
  scenario: { type: 'string' },
  'alertmanager.base': { type: 'string' },
  'customers-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (v.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = positionals[0] ?? 'serve';
  const logger = pino({ level: v['log.level'] ?? 'info', base: { app: 'whatsapp-business-exporter' } });

  if (command === 'sandbox') {
    const int = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
    // Loaded only here and in sandbox mode: production processes never load the simulator.
    const { startSandbox } = await import('./sandbox/index.js');
    const sb = await startSandbox({
      port: int(v.port, 9915),
      host: '0.0.0.0',
      phoneNumbers: int(v['phone-numbers'], 3),
      wabas: int(v.wabas, 2),
      businesses: int(v.businesses, 1),
      scenario: v.scenario === 'static' ? 'static' : 'demo',
    });
    logger.info({ url: sb.url, businesses: sb.state.businessIds() }, 'Graph API sandbox listening');
    onSignals(() => sb.close());
    return -1;
  }
  if (command !== 'serve' && command !== 'check-config' && command !== 'alertmanager-config') {
    process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  const file = v['config.file'] ?? process.env.WHATSAPP_EXPORTER_CONFIG;
  // The flags override the file on start and on every reload.
  const flags = {
    listenAddress: v['web.listen-address'],
    telemetryPath: v['web.telemetry-path'],
    enableOpenMetrics: v['web.enable-openmetrics'],
    storagePath: v['storage.path'],
    logLevel: v['log.level'],
    shard: v.shard,
  };
  let config: Config;
  try {
    config = loadConfig({ file, flags });
  } catch (err) {
    return configError(err);
  }
  if (command === 'alertmanager-config') {
    const { printAlertmanagerConfig } = await import('./alertmanager/print.js');
    return printAlertmanagerConfig(config, {
      base: v['alertmanager.base'],
      customersOnly: v['customers-only'] ?? false,
    });
  }
  if (command === 'check-config') {
    // What loadConfig cannot know: the metric family lists against the families this build serves
    // (startExporter checks the same when it starts).
    // And everything start checks before it opens anything (src/preflight.ts): a file this
    // command calls OK starts.
    try {
      familyFilter(config, file ?? '<environment>');
      const blocked = preflight(config);
      if (blocked.length > 0) throw new StartError(file ?? '<environment>', blocked);
    } catch (err) {
      return configError(err, redactorOf(config));
    }
    const redact = redactorOf(config);
    for (const w of preflightWarnings(config)) process.stderr.write(redact(`warning: ${w.path}: ${w.message}\n`));
    // Secrets print as <secret>, and so do the credentials in URLs (user:password@, query values).
    process.stdout.write(`configuration OK (mode: ${config.mode})\n${JSON.stringify(forPrinting(config), null, 2)}\n`);
    return 0;
  }
  logger.level = config.log.level;
  let exporter: Awaited<ReturnType<typeof startExporter>>;
  try {
    exporter = await startExporter({
      config,
      logger,
      userSetIntervals: file !== undefined && /\binterval:/.test(await readText(file)),
      reloadConfig: file ? () => loadConfig({ file, flags }) : undefined,
    });
  } catch (err) {
    // Whatever start opened before it failed is closed; exit at once all the same, so a start
    // that cannot listen never idles.
    process.exit(configError(err, redactorOf(config)));
  }
  process.on('SIGHUP', () => void exporter.reload());
  onSignals(() => exporter.close());
  return -1;
}

/**
 * A ConfigError exits 1 with every bad key named, one line per issue (one line in all when there
 * is one); anything else is not ours to explain.
 */
function configError(err: unknown, redact?: Redactor): number {
  if (!(err instanceof ConfigError)) throw err;
  const e = redact ? err.redacted(redact) : err;
  const what = e instanceof StartError ? 'cannot start' : 'invalid configuration';
  process.stderr.write(e.issues.length === 1 ? `${what}: ${e.message}\n` : `${what}:\n${e.message}\n`);
  return 1;
}

function onSignals(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    // A second signal (a terminal's Ctrl-C reaching a wrapper and the exporter) must not end
    // the process in the middle of close(): state DBs are being checkpointed.
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal} received, shutting down\n`);
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function readText(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(file, 'utf8').catch(() => '');
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fatal: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
