import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { pino } from 'pino';
import { loadRateCard } from '../../src/billing/rate-card.js';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import type { Clock } from '../../src/util/clock.js';
import { apiRouter } from '../../src/web/api/index.js';
import { overviewRouter, overviewSource, type OverviewDeps } from '../../src/web/overview/index.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OverviewSite {
  exp: RunningExporter;
  /** Base URL of the small app that mounts only the overview router. */
  url: string;
  deps: OverviewDeps;
  usage: Map<string, number> | undefined;
  close(): Promise<void>;
}

/**
 * The exporter in sandbox mode (a real snapshot from the simulated Graph API and wallet), and
 * the page and API routers on their own app reading that store (with test-controlled inputs).
 */
export async function overviewSite(o: { clock?: Clock; usage?: Map<string, number> } = {}): Promise<OverviewSite> {
  const dir = mkdtempSync(join(tmpdir(), 'wbe-overview-'));
  // The page is tested on the generated population as it is (a YELLOW number, the plain wallet:
  // 180 USD at 6 USD a minute); the demo scenario's story would move those under the tests.
  const configFile = join(dir, 'config.yml');
  writeFileSync(configFile, 'sandbox:\n  scenario: static\n');
  const config = loadConfig({ file: configFile, env: {}, flags: { storagePath: dir } });
  // The simulated webhook stream would add its own recipients; the tests inject 24 h usage instead.
  const exp = await startExporter({
    config,
    logger: pino({ level: 'silent' }),
    clock: o.clock,
    listen: { host: '127.0.0.1', port: 0 },
    processMetrics: false,
    liveTtlMs: 0,
    webhookStream: false,
  });
  await exp.poller.runAll();
  const file = exp.config().billing.rateCardFile;
  const card = file ? loadRateCard(file) : undefined;
  const deps: OverviewDeps = {
    store: exp.store,
    clock: o.clock ?? { now: () => Date.now() },
    config: () => exp.config(),
    rateCard: () => card,
    uniqueRecipients24h: o.usage ? () => o.usage as Map<string, number> : undefined,
    version: '0.1.0-test',
  };
  const source = overviewSource(deps);
  const app = express();
  app.use(apiRouter({ store: exp.store, clock: deps.clock, overview: source }));
  app.use(overviewRouter(source));
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    exp,
    url,
    deps,
    usage: o.usage,
    async close() {
      source.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await exp.close();
    },
  };
}
