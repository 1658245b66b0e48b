import { STATUS_CODES } from 'node:http';
import { pipeline } from 'node:stream/promises';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config/config.js';
import type { Exposition } from './metrics/exposition.js';
import { CONTENT_TYPES, negotiate } from './metrics/format.js';
import { authGuard } from './web/guard.js';
import { landingPage } from './web/landing.js';
import { formatShard } from './shard/shard.js';

export interface AppDeps {
  config: () => Config;
  exposition: Exposition;
  ready: () => boolean;
  logger: Logger;
  version: string;
  /** SIGHUP's twin: re-read the config file. */
  reload?: () => { ok: boolean; error?: string };
  /** What this process polls (source, target, interval). */
  targets?: () => unknown[];
  /** Extra routers mounted by later layers (webhooks, overview). */
  mount?: (app: Express) => void;
}

/** The HTTP surface; no listen() here, so tests and main decide where it runs. */
export function createApp(d: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const { telemetryPath } = d.config().web;
  // First: every route below, and every route a later layer mounts, is behind the web auth
  // unless web/guard.ts lists it as public.
  app.use(authGuard(d.config));

  app.get(telemetryPath, async (req, res) => {
    try {
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      // OpenMetrics when enabled and the scraper prefers it (Prometheus does, by q-value), else the text format.
      const format = d.config().web.enableOpenMetrics ? negotiate(req.headers.accept) : 'text';
      const { bytes, body, trailer } = await d.exposition.scrape(gzip, format);
      res.status(200).setHeader('Content-Type', CONTENT_TYPES[format]);
      res.setHeader('Vary', 'Accept, Accept-Encoding');
      if (gzip) res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', String(bytes));
      if (Buffer.isBuffer(body)) {
        res.end(body);
        return;
      }
      try {
        await pipeline(body, res, { end: false });
        res.end(trailer);
      } catch (err) {
        // The client went away mid-body; pipeline has closed both ends, nothing else to clean up.
        d.logger.debug({ err: (err as Error).message }, 'plain scrape aborted');
      }
    } catch (err) {
      d.logger.error({ err: (err as Error).message }, 'scrape failed');
      res.status(500).type('text/plain').send('scrape failed\n');
    }
  });
  app.get('/-/healthy', (_req, res) => void res.type('text/plain').send('Healthy\n'));
  app.get('/-/ready', (_req, res) => {
    if (d.ready()) res.type('text/plain').send('Ready\n');
    else res.status(503).type('text/plain').send('Not ready: not every source has been tried yet\n');
  });
  app.post('/-/reload', (_req, res) => {
    const r = d.reload?.() ?? { ok: false, error: 'reload not available' };
    if (r.ok) res.type('text/plain').send('Reloaded\n');
    else res.status(500).type('text/plain').send(`Reload failed: ${r.error}\n`);
  });
  // What this replica polls; with sharding, which shard it is ("2/3"), so a fleet can be audited.
  app.get(
    '/-/targets',
    (_req, res) => void res.json({ shard: formatShard(d.config().shard), targets: d.targets?.() ?? [] }),
  );
  d.mount?.(app);
  app.get(
    '/',
    (_req, res) =>
      void res.type('html').send(landingPage(telemetryPath.replace(/^\//, ''), d.version, d.config().mode)),
  );
  // Last: any error a route did not answer itself. Express's default handler would send the stack
  // trace (a path like /businesses/%E0 is a URIError in its router); a client gets one line.
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown }).status;
    const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
    if (code === 500) d.logger.error({ err: (err as Error).message }, 'request failed');
    res
      .status(code)
      .type('text/plain')
      .send(code === 500 ? 'Internal error (see the exporter log)\n' : `${STATUS_CODES[code] ?? 'Bad request'}\n`);
  });
  return app;
}
