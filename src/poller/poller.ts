import type { Logger } from 'pino';
import type { Config, SourceSettings } from '../config/config.js';
import { GraphError } from '../sources/graph/errors.js';
import type { UnknownEnum } from '../sources/graph/enums.js';
import type { SourceKey } from '../sources/key.js';
import type { AnySource, SourceContext, SourceEnv, Target } from '../sources/types.js';
import type { Clock } from '../util/clock.js';
import { formatShard, owns } from '../shard/shard.js';
import { ownsTarget } from '../shard/ownership.js';
import type { GraphClient } from '../sources/graph/client.js';
import { PageBudget } from '../sources/graph/page-budget.js';
import {
  chargedPerWaba,
  deriveBudget,
  pagesPerRefresh,
  skipTick,
  stretch,
  usageSlowdown,
  type DerivedBudget,
} from './budget.js';
import { isPaused, jittered } from './schedule.js';
import { freshData, type SnapshotStore } from './store.js';
import type { UsageBook } from './usage-feedback.js';

export interface PollerObserver {
  unknownEnums(values: readonly UnknownEnum[]): void;
  /** Every finished refresh (success or failure), for the per-source duration histogram. */
  refreshed?(source: string, durationMs: number, ok: boolean): void;
}

export interface PollerDeps {
  store: SnapshotStore;
  sources: readonly AnySource[];
  /** Reads the current config through env.config, so a reload changes targets and intervals. */
  env: SourceEnv;
  clock: Clock;
  logger: Logger;
  observer?: PollerObserver;
  random?: () => number;
  /** Meta's reported usage per object; loops touching a busy object slow down (budget.ts). */
  usage?: UsageBook;
}

interface Loop {
  readonly source: AnySource;
  target: Target;
  settings: SourceSettings;
  running?: Promise<void>;
  attempted: boolean;
  /** Usage feedback: group ticks before this time skip the loop. */
  notBefore?: number;
  slowdown?: number;
}

const key = (source: string, target: string) => `${source}\u0000${target}`;

/**
 * Discovery results arriving within this window share one reconcile. A reconcile walks every
 * target of every source; run once per finished portfolio listing, 200 portfolios made 200 walks
 * over 6,000 targets (half a gigabyte of short-lived garbage, much of it promoted) on a first refresh.
 */
const RECONCILE_COALESCE_MS = 100;

/**
 * Settings of one (source, target) as the source declares them, then stretched when the
 * configured intervals would spend more than the planned share of Meta's per-WABA hourly budget
 * (loops charged to a WABA only; explicitly listed WABAs pay for their own GET too).
 */
export function settingsOf(s: AnySource, config: Config, t: Target, budget: DerivedBudget): SourceSettings {
  const base = s.settings(config, t);
  if (!chargedPerWaba(s, t)) return base;
  const explicit = config.wabas.some((w) => w.id === t.id);
  return stretch(base, (explicit ? budget.explicit : budget.portfolio).factor, config.poller.staleness_intervals);
}

/**
 * The context one source sees: the shared env, fresh data of the sources it declared in
 * `traits.reads` (reading any other is a programming error, refused loudly), and its shard.
 */
export function sourceContext(s: AnySource, env: SourceEnv, store: SnapshotStore): SourceContext {
  const allowed = new Set(s.traits.reads ?? []);
  const check = (k: SourceKey<unknown>) => {
    if (!allowed.has(k)) throw new Error(`source ${s.key.name} reads ${k.name} without declaring it in traits.reads`);
  };
  return Object.create(env, {
    read: {
      value: <T>(k: SourceKey<T>) => {
        check(k);
        return store.fresh(k, env.clock.now());
      },
    },
    readKnown: {
      value: <T>(k: SourceKey<T>) => {
        check(k);
        return store.known(k);
      },
    },
    shard: {
      get: () => {
        const shard = env.config.shard;
        return { sharded: shard.count > 1, owns: (id: string) => owns(shard, id) };
      },
    },
  }) as SourceContext;
}

/**
 * Runs one loop per (source, target). Loops with the same source and interval tick together (one
 * timer per group, jittered per tick, not per target) so their requests meet in the Graph
 * client's batcher. A loop never overlaps itself, a throttled loop sits out until its regain
 * time, and each finished refresh swaps a new entry into the snapshot store.
 */
export class Poller {
  private readonly loops = new Map<string, Loop>();
  private readonly contexts: ReadonlyMap<AnySource, SourceContext>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private started = false;
  private readonly random: () => number;
  private budgetLogged = '';
  /** A reconcile requested by discovery and not run yet (see RECONCILE_COALESCE_MS). */
  private reconcilePending?: Promise<void>;

  constructor(private readonly d: PollerDeps) {
    this.random = d.random ?? Math.random;
    this.contexts = new Map(d.sources.map((s) => [s, sourceContext(s, d.env, d.store)]));
  }

  private ctx(s: AnySource): SourceContext {
    return this.contexts.get(s) ?? sourceContext(s, this.d.env, this.d.store);
  }

  start(): void {
    this.started = true;
    const { shard } = this.d.env.config;
    this.d.logger.info(
      { shard: formatShard(shard), shards: shard.count },
      shard.count > 1
        ? 'sharded: polling the WABAs, portfolios and singletons this shard owns'
        : 'unsharded: polling everything',
    );
    this.reconcile();
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.loops.values()].map((l) => l.running));
  }

  /**
   * True once every current loop has finished at least one attempt and the loops a listing
   * discovered are planned (for /-/ready): between a listing and its coalesced reconcile, the
   * per-WABA loops it found do not exist yet, and "every loop tried" would be true too early.
   */
  ready(): boolean {
    return this.started && this.reconcilePending === undefined && [...this.loops.values()].every((l) => l.attempted);
  }

  /** Runs one loop now, out of schedule (e.g. the token check after an auth error, a webhook event). */
  kick(source: SourceKey<unknown>, target: string): Promise<void> | undefined {
    const l = this.loops.get(key(source.name, target));
    return l ? this.run(l) : undefined;
  }

  /** Awaits every refresh in flight and the loops discovery adds (tests, bench). */
  async settle(): Promise<void> {
    for (;;) {
      const running = [...this.loops.values()].map((l) => l.running).filter(Boolean);
      if (this.reconcilePending) running.push(this.reconcilePending);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  private requestReconcile(): void {
    if (this.reconcilePending) return;
    this.reconcilePending = new Promise<void>((resolve) => {
      setTimeout(() => {
        this.reconcilePending = undefined;
        try {
          this.reconcile();
        } catch (err) {
          // Off any caller's stack here: a throw would end the process. The next listing retries.
          this.d.logger.error({ err: (err as Error).message }, 'reconcile after discovery failed');
        } finally {
          resolve();
        }
      }, RECONCILE_COALESCE_MS).unref();
    });
  }

  /** Runs every loop once now (respecting pauses and single-flight) and waits for discovery to settle. */
  async runAll(): Promise<void> {
    this.reconcile();
    await Promise.allSettled([...this.loops.values()].map((l) => this.run(l)));
    await this.settle();
  }

  targets(): Array<{ source: string; target: string; interval_seconds: number; slowdown?: number }> {
    return [...this.loops.values()].map((l) => ({
      source: l.source.key.name,
      target: l.target.id,
      interval_seconds: l.settings.intervalMs / 1000,
      ...(l.slowdown && l.slowdown > 1 ? { slowdown: l.slowdown } : {}),
    }));
  }

  /** Brings the set of loops in line with what sources want now; new loops run at once. */
  reconcile(): void {
    const config = this.d.env.config;
    const budget = deriveBudget(config, this.d.sources);
    this.logBudget(budget);
    const wanted = new Map<string, { source: AnySource; target: Target; settings: SourceSettings }>();
    for (const s of this.d.sources) {
      for (const t of s.targets(this.ctx(s))) {
        if (!ownsTarget(config.shard, s.traits.shard[t.kind], t.id)) continue;
        const settings = settingsOf(s, config, t, budget);
        if (settings.enabled) wanted.set(key(s.key.name, t.id), { source: s, target: t, settings });
      }
    }
    for (const [k, l] of this.loops) {
      if (wanted.has(k)) continue;
      this.loops.delete(k);
      this.d.store.delete(l.source.key, l.target.id);
      this.d.logger.info(
        { source: l.source.key.name, target: l.target.id },
        'target gone: loop stopped, series dropped',
      );
    }
    const fresh: Loop[] = [];
    for (const [k, w] of wanted) {
      const l = this.loops.get(k);
      if (l?.source === w.source) {
        l.target = w.target;
        l.settings = w.settings;
        continue;
      }
      // Same source key and target, another implementation (a billing account that changed provider
      // on reload, e.g. HTTP ↔ Meta credit line): a new loop; a refresh of the old one in flight is discarded.
      if (l) this.loops.delete(k);
      const loop: Loop = { source: w.source, target: w.target, settings: w.settings, attempted: false };
      this.loops.set(k, loop);
      fresh.push(loop);
    }
    if (!this.started) return;
    for (const l of fresh) void this.run(l);
    this.schedule();
  }

  /** One timer per (source, interval) group; groups that no longer exist lose their timer. */
  private schedule(): void {
    const groups = new Set([...this.loops.values()].map((l) => groupKey(l)));
    for (const [g, t] of this.timers) {
      if (groups.has(g)) continue;
      clearTimeout(t);
      this.timers.delete(g);
    }
    for (const g of groups) if (!this.timers.has(g)) this.arm(g);
  }

  private arm(group: string): void {
    const interval = Number(group.split('\u0000')[1]);
    const t = setTimeout(
      () => {
        this.timers.delete(group);
        if (!this.started) return;
        const members = [...this.loops.values()].filter((l) => groupKey(l) === group);
        if (members.length === 0) return;
        const now = this.d.clock.now();
        for (const l of members) if (!skipTick(l.notBefore, now, interval)) void this.run(l);
        this.arm(group);
      },
      jittered(interval, this.d.env.config.poller.jitter, this.random),
    );
    t.unref();
    this.timers.set(group, t);
  }

  private run(l: Loop): Promise<void> {
    if (l.running) return l.running; // single-flight
    const prev = this.d.store.get(l.source.key, l.target.id);
    if (isPaused(prev?.pausedUntil, this.d.clock.now())) {
      l.attempted = true;
      return Promise.resolve();
    }
    l.running = this.refresh(l).finally(() => {
      l.running = undefined;
      l.attempted = true;
    });
    return l.running;
  }

  private async refresh(l: Loop): Promise<void> {
    const src = l.source;
    const { name } = src.key;
    const target = l.target.id;
    const { intervalMs, maxStalenessMs } = l.settings;
    const started = this.d.clock.now();
    const log = this.d.logger.child({ source: name, target });
    try {
      const ctx = refreshContext(this.ctx(src), pagesPerRefresh(this.d.env.config, intervalMs));
      const res = await src.fetch(ctx, l.target, freshData(this.d.store.get(src.key, target), started));
      if (this.loops.get(key(name, target)) !== l) return; // removed while in flight
      const now = this.d.clock.now();
      this.d.store.update(src.key, target, () => ({
        source: name,
        target,
        intervalMs,
        maxStalenessMs,
        data: res.data,
        lastSuccess: now,
        lastAttempt: started,
        durationMs: now - started,
        up: true,
      }));
      this.d.observer?.refreshed?.(name, now - started, true);
      if (res.unknown.length) {
        this.d.observer?.unknownEnums(res.unknown);
        log.warn({ unknown: res.unknown.slice(0, 5) }, 'unknown enum values from upstream (exported as-is)');
      }
      log.debug({ duration_ms: now - started }, 'refresh ok');
    } catch (err) {
      if (this.loops.get(key(name, target)) !== l) return;
      const now = this.d.clock.now();
      const ge = err instanceof GraphError ? err : undefined;
      const pausedUntil = ge?.reason === 'rate_limited' ? now + (ge.regainMs ?? intervalMs) : undefined;
      const e = err as { reason?: string; code?: number; toLog?: () => Record<string, unknown>; message?: string };
      this.d.store.update(src.key, target, (p) => ({
        ...(p ?? { source: name, target }),
        intervalMs,
        maxStalenessMs,
        lastAttempt: started,
        durationMs: now - started,
        up: false,
        error: { reason: e.reason ?? 'error', code: e.code },
        pausedUntil,
      }));
      this.d.observer?.refreshed?.(name, now - started, false);
      log.warn(
        {
          duration_ms: now - started,
          err: e.toLog ? e.toLog() : { msg: String(e.message ?? err) },
          paused_until: pausedUntil,
        },
        'refresh failed: keeping last good data',
      );
      const recheck = src.traits.onAuthFailure;
      if (ge?.reason === 'auth' && recheck && l.target.credential) void this.kick(recheck, l.target.credential.name);
    } finally {
      this.feedback(l, started);
      if (src.traits.discovers) this.requestReconcile();
    }
  }

  /** Usage feedback after each refresh: a loop touching an object Meta reports as busy waits longer. */
  private feedback(l: Loop, started: number): void {
    if (!this.d.usage || !l.source.traits.usageFeedback) return;
    const ratio = this.d.usage.ratio([l.target.id, l.target.businessId]);
    const factor = usageSlowdown(ratio, this.d.env.config.graph.usage_slowdown_threshold);
    if (factor !== (l.slowdown ?? 1)) {
      const log = {
        source: l.source.key.name,
        target: l.target.id,
        usage_ratio: ratio,
        slowdown: Number(factor.toFixed(2)),
      };
      if (factor > 1) this.d.logger.warn(log, 'Meta reports high API usage: slowing this loop down');
      else this.d.logger.info(log, 'API usage back under the threshold: normal interval');
    }
    l.slowdown = factor;
    l.notBefore = factor > 1 ? started + l.settings.intervalMs * factor : undefined;
  }

  private logBudget(b: DerivedBudget): void {
    const sig = `${b.portfolio.factor}:${b.explicit.factor}:${b.allowedPerHour}`;
    if (sig === this.budgetLogged) return;
    this.budgetLogged = sig;
    const explicitWabas = this.d.env.config.wabas.length > 0;
    const stretched = b.portfolio.factor > 1 || (explicitWabas && b.explicit.factor > 1);
    const fields = {
      allowed_calls_per_hour_per_waba: b.allowedPerHour,
      portfolio_waba: { calls_per_hour: round(b.portfolio.callsPerHour), stretch: round(b.portfolio.factor) },
      ...(explicitWabas
        ? { explicit_waba: { calls_per_hour: round(b.explicit.callsPerHour), stretch: round(b.explicit.factor) } }
        : {}),
    };
    if (stretched)
      this.d.logger.warn(
        fields,
        'derived intervals: the configured intervals exceed the planned share of the per-WABA hourly budget; per-WABA intervals stretched',
      );
    else this.d.logger.debug(fields, 'per-WABA budget fits the configured intervals');
  }
}

/**
 * The context of one refresh: its source's, with a Graph client that charges the refresh's
 * follow-up pages to an allowance sized from Meta's budget (budget.ts, pagesPerRefresh).
 */
function refreshContext(ctx: SourceContext, pages: number): SourceContext {
  let graph: GraphClient | undefined;
  // Made on first use: most refreshes of a billing source never touch the Graph client.
  return Object.create(ctx, {
    graph: { get: () => (graph ??= ctx.graph.withPageBudget(new PageBudget(pages))) },
  }) as SourceContext;
}

const round = (n: number) => Math.round(n * 100) / 100;

const groupKey = (l: Loop) => `${l.source.key.name}\u0000${l.settings.intervalMs}`;
