/**
 * Meta webhooks → counters, rolling windows and snapshot patches. Wiring in main.ts:
 *
 *   const webhooks = createWebhookModule({ config: () => config, store, kick: (s, t) => void poller.kick(s, t), clock, logger, invalidate: (d) => exposition.invalidate(d) });
 *   // collectors read webhooks.view (collectors/webhooks.ts); createApp({ mount: (app) => app.use(webhooks.router) }); close: webhooks.close()
 */
import { join } from 'node:path';
import type express from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { SnapshotStore } from '../poller/store.js';
import type { SourceKey } from '../sources/key.js';
import { WebhookDb } from '../state/db.js';
import { startPruner } from '../state/pruner.js';
import type { Clock } from '../util/clock.js';
import { COUNTER, type FailureReason } from './counter-keys.js';
import { LabelBounds } from './bounds.js';
import { applyEffects } from './effects.js';
import type { WebhookEvent } from './events.js';
import { AccountIndex } from './identity.js';
import { owns } from '../shard/shard.js';
import { DAY_MS, planBatch } from './ingest.js';
import { restoreState } from './restore.js';
import { webhookRouter } from './router.js';
import type { WebhookView } from './view.js';

export { WebhookDb } from '../state/db.js';
export { sign, verifySignature, handshake } from './verify.js';
export { parseWebhook } from './parse.js';
export type { WebhookEvent, ParseResult } from './events.js';

export interface WebhookModuleDeps {
  config: () => Config; // current config (reloadable)
  store: SnapshotStore; // read accounts/templates/limits snapshots; patch templates/limits on events
  kick: (source: SourceKey<unknown>, target: string) => void; // ask the poller to re-poll now (quality events)
  clock: Clock;
  logger: Logger;
  invalidate: (dep: string) => void; // tell the exposition your fragment changed
  /** Optional: price of one billable message by recipient country (ISO-3166 alpha-2) and pricing category; from the billing rate card (the lead implements it). */
  priceFor?: (countryIso2: string, category: string) => { price: number; currency: string } | undefined;
  /**
   * Optional: whether events can be counted now (default: always). A shard decides which events it
   * owns from its portfolio listings, so it answers 503 until it has listed them (main.ts).
   */
  accepting?: () => boolean;
}

export interface WebhookModule {
  router: express.Router; // mounts GET+POST at config.webhooks.path
  view: WebhookView; // what the webhook collectors read (collectors/webhooks.ts)
  db: WebhookDb; // for tests
  close(): void; // closes timers and the DB
}

/** The exposition dependency the webhook collectors listen to. */
export const WEBHOOK_DEP = 'webhooks';
export const DB_FILE = 'webhooks.db';
const PRUNE_INTERVAL_MS = 60_000;

export function createWebhookModule(d: WebhookModuleDeps): WebhookModule {
  const log = d.logger.child({ component: 'webhooks' });
  const db = WebhookDb.open(join(d.config().storage.path, DB_FILE));
  const http = { requests: 0, failures: new Map<FailureReason, number>() };
  const index = new AccountIndex(d.store, () => d.config().shard);
  const bounds = new LabelBounds((label, id) => index.knowsId(label, id));
  const { counters, lastReceived } = restoreState(db, bounds);
  const cap = () => d.config().webhooks.marketingFrequencyCap;

  const ingest = (all: readonly WebhookEvent[]) => {
    const now = d.clock.now();
    // Sharding: the reverse proxy mirrors every POST to every shard; each counts only the events
    // it owns (docs/sharding-and-budget.md, "Sharding"), so the shards' counters add up with no double counting.
    const events = all.filter((e) => index.ownsEvent(e.wabaId));
    const foreign = all.filter((e) => !index.ownsEvent(e.wabaId));
    // A kick re-polls a WABA's listing: only on the shard that polls (and exports) that WABA.
    const kickFor = (e: WebhookEvent) => (owns(d.config().shard, e.wabaId) ? d.kick : () => {});
    const batch = planBatch(events, {
      now,
      index,
      counters,
      hashRecipient: (r) => db.hashRecipient(r),
      aliasOf: (a) => db.aliasOf(a),
      capWindowMs: cap()?.windowMs,
      priceFor: d.priceFor,
      bounds,
    });
    const applied = db.apply(batch);
    // Only after the commit: memory never runs ahead of what a restart would load.
    for (const c of applied.increments) counters.add(c.family, c.labels, c.value);
    for (const [field, at] of batch.received) lastReceived.set(field, Math.max(at, lastReceived.get(field) ?? 0));
    // Every shard gets every POST: "last received" says the pipe is alive, whoever counts the event.
    for (const e of foreign) {
      const field = bounds.label('field', e.field);
      lastReceived.set(field, Math.max(now, lastReceived.get(field) ?? 0));
    }
    const freshKeys = new Set(batch.units.filter((_, i) => applied.fresh[i]).map((u) => u.key));
    // Snapshot patches touch only entries this shard polls, so foreign events patch them too
    // (without the dedupe, which lives with the owner; a patch is idempotent).
    for (const e of [...events, ...foreign]) {
      if (
        e.kind === 'status' ||
        e.kind === 'error' ||
        e.kind === 'incoming' ||
        (!freshKeys.has(e.key) && !foreign.includes(e))
      )
        continue;
      try {
        applyEffects(e, { store: d.store, index, kick: kickFor(e) });
      } catch (err) {
        // A patch is a nicety (the next poll brings the same); it must never fail an ack.
        log.warn({ field: e.field, err: (err as Error).message }, 'snapshot patch from webhook failed');
      }
    }
    d.invalidate(WEBHOOK_DEP);
    return { events: events.length, fresh: freshKeys.size };
  };

  const router = webhookRouter({
    settings: () => d.config().webhooks,
    clock: d.clock,
    logger: log,
    // One invalidate per POST (from ingest or onFailure); the exposition coalesces bursts.
    onRequest: () => void http.requests++,
    onFailure: (reason: FailureReason) => {
      http.failures.set(reason, (http.failures.get(reason) ?? 0) + 1);
      d.invalidate(WEBHOOK_DEP);
    },
    ingest,
    accepting: d.accepting ?? (() => true),
  });

  const pruner = startPruner({
    db,
    clock: d.clock,
    logger: log,
    intervalMs: PRUNE_INTERVAL_MS,
    retention: () => {
      const w = d.config().webhooks;
      return {
        dedupeMs: w.dedupeRetentionMs,
        recipientsMs: DAY_MS,
        marketingMs: Math.max(DAY_MS, w.marketingFrequencyCap?.windowMs ?? 0),
      };
    },
    onRun: () => d.invalidate(WEBHOOK_DEP),
  });

  const view: WebhookView = {
    configured: () => {
      const w = d.config().webhooks;
      return w.enabled && w.appSecrets.length > 0;
    },
    counters,
    http,
    lastReceived,
    folded: () => bounds.folded(),
    known: (withPhones) => index.known(withPhones),
    uniqueRecipientsByBusiness: (since) => db.uniqueRecipientsByBusiness(since),
    uniqueRecipientsByPhone: (since) => db.uniqueRecipientsByPhone(since),
    recipientsAtCap: (since, messages) => db.recipientsAtCap(since, messages),
    marketingBusinesses: () => db.marketingBusinesses(),
    estimatedCost: () => {
      const out = new Map<string, Map<string, number>>();
      for (const { labels, value } of counters.series(COUNTER.estimatedCost)) {
        const b = labels.business_id ?? '';
        const cur = labels.currency ?? '';
        const m = out.get(b) ?? new Map<string, number>();
        m.set(cur, (m.get(cur) ?? 0) + value);
        out.set(b, m);
      }
      return out;
    },
    cap,
  };
  log.info(
    { db: db.path, series: counters.size(COUNTER.statuses), secrets: d.config().webhooks.appSecrets.length },
    'webhook state loaded',
  );
  return {
    router,
    view,
    db,
    close() {
      pruner.stop();
      index.close();
      db.close();
    },
  };
}
