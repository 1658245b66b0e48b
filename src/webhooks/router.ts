import express from 'express';
import type { Logger } from 'pino';
import type { WebhookSettings } from '../config/config.js';
import type { FailureReason } from './counter-keys.js';
import type { Clock } from '../util/clock.js';
import { readRawBody } from './body.js';
import type { WebhookEvent } from './events.js';
import { parseWebhook } from './parse.js';
import { handshake, verifySignature } from './verify.js';

export interface RouterDeps {
  readonly settings: () => WebhookSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly onRequest: () => void;
  readonly onFailure: (reason: FailureReason) => void;
  /** Persists the events (one transaction) and applies their effects; throws when storage fails. */
  readonly ingest: (events: readonly WebhookEvent[]) => { events: number; fresh: number };
  /** False while events cannot be counted correctly yet: a signed POST is answered 503 (`not_ready`). */
  readonly accepting: () => boolean;
}

const SIGNATURE_HEADER = 'x-hub-signature-256';
const LOG_EVERY_MS = 10_000;

/**
 * GET <path>: Meta's verification handshake. POST <path>: raw body (size-limited) → signature
 * over the exact bytes, before any parsing → JSON → events → one transaction → 200.
 *
 * Status codes: 401 bad or missing signature (also when no app secret is configured: nothing
 * can be verified), 503 not ready (a shard before its first portfolio listing), 413 too large, 400 not JSON or not an object, 200 for a signed object of
 * another product (`unknown_object`, counted as a failure: it was signed with our app secret, so
 * Meta sent it; a non-2xx would only make Meta retry it for days), 500 only when the state DB
 * fails (then Meta's retry is what we want). The path is read per request, so a config reload
 * that moves or disables it takes effect at once.
 */
export function webhookRouter(d: RouterDeps): express.Router {
  const router = express.Router();
  const lastLog = new Map<string, number>();
  // Failures are counted always but logged at most once per reason per 10 s: a misconfigured
  // sender or a scanner must not flood the log.
  const fail = (reason: FailureReason, status: number, res: express.Response, fields: Record<string, unknown> = {}) => {
    d.onFailure(reason);
    const now = d.clock.now();
    if (now - (lastLog.get(reason) ?? -Infinity) >= LOG_EVERY_MS) {
      lastLog.set(reason, now);
      d.logger.warn({ reason, status, ...fields }, 'webhook request rejected');
    }
    res
      .status(status)
      .type('text/plain')
      .send(status === 200 ? 'ignored\n' : `${reason}\n`);
  };

  router.use(async (req, res, next) => {
    const s = d.settings();
    if (!s.enabled || req.path !== s.path) return next();
    // Every answer here is text/plain, and the handshake echoes the caller's hub.challenge: a browser
    // must never sniff it into HTML (a reflected script on the exporter's origin).
    res.set('X-Content-Type-Options', 'nosniff');
    if (req.method === 'GET') {
      const challenge = handshake(new URL(req.originalUrl, 'http://x').searchParams, s.verifyToken?.reveal());
      if (challenge === undefined) {
        d.logger.warn({ mode: req.query['hub.mode'] }, 'webhook verification refused');
        return void res.status(403).type('text/plain').send('forbidden\n');
      }
      d.logger.info('webhook verification handshake answered');
      return void res.status(200).type('text/plain').send(challenge);
    }
    if (req.method !== 'POST')
      return void res.status(405).set('Allow', 'GET, POST').type('text/plain').send('method not allowed\n');

    d.onRequest();
    const body = await readRawBody(req, s.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'too_large') return fail('too_large', 413, res, { limit: s.maxBodyBytes });
      return; // The client went away: there is nobody to answer, and nothing was read.
    }
    const header = req.headers[SIGNATURE_HEADER];
    if (
      !verifySignature(
        body.raw,
        typeof header === 'string' ? header : undefined,
        s.appSecrets.map((x) => x.reveal()),
      )
    ) {
      return fail('bad_signature', 401, res, { header_present: header !== undefined, secrets: s.appSecrets.length });
    }
    // A restarted shard that has not listed its portfolios yet would pick the wrong owner for
    // events (docs/sharding-and-budget.md, "Webhooks with shards"): Meta redelivers a 503 later.
    if (!d.accepting()) return fail('not_ready', 503, res);
    let json: unknown;
    try {
      json = JSON.parse(body.raw.toString('utf8'));
    } catch {
      return fail('malformed', 400, res, { bytes: body.raw.length });
    }
    const parsed = parseWebhook(json);
    if (!parsed.ok) return fail(parsed.reason, parsed.reason === 'unknown_object' ? 200 : 400, res);
    const started = d.clock.now();
    try {
      const r = d.ingest(parsed.events);
      d.logger.debug({ events: r.events, fresh: r.fresh, duration_ms: d.clock.now() - started }, 'webhook accepted');
      res.status(200).type('text/plain').send('ok\n');
    } catch (err) {
      d.logger.error(
        { err: (err as Error).message, events: parsed.events.length },
        'webhook not stored; answering 500 so Meta redelivers',
      );
      res.status(500).type('text/plain').send('storage failure\n');
    }
  });
  return router;
}
