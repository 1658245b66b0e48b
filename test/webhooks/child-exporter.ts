/**
 * The webhook module alone in a child process with a file DB, for the SIGKILL test:
 *   WBE_DIR=/tmp/x WBE_SECRET=s node --import tsx test/webhooks/child-exporter.ts
 * Prints one JSON line {"url": …} once listening; GET /metrics renders the webhook fragments.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { pino } from 'pino';
import type { Config } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import { Secret } from '../../src/config/secret.js';
import { systemClock } from '../../src/util/clock.js';
import { createWebhookModule } from '../../src/webhooks/index.js';
import { PATH, seededStore } from './helpers.js';
import { textOf } from '../../src/metrics/render.js';
import { webhookFragments } from '../../src/collectors/webhooks.js';

const dir = process.env.WBE_DIR ?? '';
const secret = process.env.WBE_SECRET ?? '';
const base = loadConfig({ env: {}, flags: { storagePath: join(dir, 'data') } });
const config: Config = {
  ...base,
  webhooks: {
    enabled: true,
    path: PATH,
    appSecrets: [new Secret(secret)],
    maxBodyBytes: 1 << 20,
    dedupeRetentionMs: 8 * 86_400_000,
  },
};
const store = seededStore(systemClock);
const mod = createWebhookModule({
  config: () => config,
  store,
  kick: () => {},
  clock: systemClock,
  logger: pino({ level: 'warn' }, pino.destination(2)),
  invalidate: () => {},
});
const app = express();
app.use(mod.router);
app.get(
  '/metrics',
  async (_req, res) =>
    void res
      .type('text/plain')
      .send(
        (
          await Promise.all(
            webhookFragments(mod.view, store, systemClock, pino({ level: 'warn' })).map((f) => f.render()),
          )
        )
          .map(textOf)
          .join(''),
      ),
);
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
