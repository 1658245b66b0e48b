import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Clock } from '../util/clock.js';
import { WebhookDb } from './db.js';

export interface PrunerDeps {
  readonly db: WebhookDb;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Current retentions (config is reloadable). */
  readonly retention: () => { dedupeMs: number; recipientsMs: number; marketingMs: number };
  readonly intervalMs: number;
  /** Called after every run: the rolling windows moved, the gauges must be re-rendered. */
  readonly onRun: () => void;
}

/**
 * Periodically forgets what no window needs any more: dedupe keys past the retention (Meta stops
 * redelivering after days), recipient rows past 24 h, marketing sends past the cap window.
 * Deletes in chunks with a yield in between so a large backlog never stalls webhook acks.
 */
export function startPruner(d: PrunerDeps): { stop(): void; runOnce(): Promise<number> } {
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      const now = d.clock.now();
      const r = d.retention();
      const cut = {
        dedupeBefore: now - r.dedupeMs,
        recipientsBefore: now - r.recipientsMs,
        marketingBefore: now - r.marketingMs,
      };
      let total = 0;
      for (;;) {
        if (stopped) break;
        const n = d.db.pruneStep(cut);
        total += n;
        if (n < WebhookDb.PRUNE_CHUNK) break;
        await yieldToLoop();
      }
      if (total > 0) d.logger.debug({ rows: total }, 'webhook state pruned');
      d.onRun();
      return total;
    })()
      .catch((err: unknown) => {
        d.logger.error({ err: (err as Error).message }, 'webhook state prune failed');
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void runOnce(), d.intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    runOnce,
  };
}
