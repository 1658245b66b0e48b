import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { GraphError } from '../sources/graph/errors.js';
import type { UnknownEnum } from '../sources/graph/enums.js';
import type { SourceContext, SourceDef, Target } from '../sources/types.js';
import type { Clock } from '../util/clock.js';
import { isPaused, jittered } from './schedule.js';
import type { SnapshotStore } from './store.js';

export interface PollerObserver {
  unknownEnums(values: readonly UnknownEnum[]): void;
}

export interface PollerDeps {
  config: Config;
  store: SnapshotStore;
  sources: readonly SourceDef[];
  ctx: SourceContext;
  clock: Clock;
  logger: Logger;
  observer?: PollerObserver;
  random?: () => number;
}

interface Loop {
  readonly source: SourceDef;
  target: Target;
  running?: Promise<void>;
  attempted: boolean;
}

const key = (source: string, target: string) => `${source}\u0000${target}`;

/**
 * Runs one loop per (source, target). Loops of the same source tick together (one timer per
 * source, jittered per tick, not per target) so that their requests meet in the Graph client's
 * batcher. A loop never overlaps itself, a throttled loop sits out until its regain time, and
 * each finished refresh swaps a new entry into the snapshot store.
 */
export class Poller {
  private readonly loops = new Map<string, Loop>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private started = false;
  private readonly random: () => number;

  constructor(private readonly d: PollerDeps) {
    this.random = d.random ?? Math.random;
  }

  start(): void {
    this.started = true;
    this.reconcile();
    for (const s of this.enabledSources()) this.tick(s);
  }

  async stop(): Promise<void> {
    this.started = false;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.loops.values()].map((l) => l.running));
  }

  /** True once every current loop has finished at least one attempt (for /-/ready). */
  ready(): boolean {
    return this.started && [...this.loops.values()].every((l) => l.attempted);
  }

  /** Runs one loop now, out of schedule (e.g. the token check after an auth error). */
  kick(source: string, target: string): Promise<void> | undefined {
    const l = this.loops.get(key(source, target));
    return l ? this.run(l) : undefined;
  }

  /** Awaits every refresh in flight (tests, bench). */
  async settle(): Promise<void> {
    for (;;) {
      const running = [...this.loops.values()].map((l) => l.running).filter(Boolean);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /** Runs every loop once now (respecting pauses and single-flight) and waits for discovery to settle. */
  async runAll(): Promise<void> {
    this.reconcile();
    await Promise.allSettled([...this.loops.values()].map((l) => this.run(l)));
    await this.settle();
  }

  targets(): Array<{ source: string; target: string }> {
    return [...this.loops.values()].map((l) => ({ source: l.source.name, target: l.target.id }));
  }

  /** Brings the set of loops in line with what sources want now; new loops run at once. */
  reconcile(): void {
    const wanted = new Map<string, { source: SourceDef; target: Target }>();
    for (const s of this.enabledSources()) for (const t of s.targets(this.d.ctx)) wanted.set(key(s.name, t.id), { source: s, target: t });
    for (const [k, l] of this.loops) {
      if (wanted.has(k)) continue;
      this.loops.delete(k);
      this.d.store.delete(l.source.name, l.target.id);
      this.d.logger.info({ source: l.source.name, target: l.target.id }, 'target gone upstream: loop stopped, series dropped');
    }
    for (const [k, w] of wanted) {
      const l = this.loops.get(k);
      if (l) {
        l.target = w.target;
        continue;
      }
      const loop: Loop = { source: w.source, target: w.target, attempted: false };
      this.loops.set(k, loop);
      if (this.started) void this.run(loop);
    }
  }

  private enabledSources(): SourceDef[] {
    return this.d.sources.filter((s) => this.d.config.sources[s.name].enabled);
  }

  private tick(source: SourceDef): void {
    if (!this.started) return;
    for (const l of this.loops.values()) if (l.source === source) void this.run(l);
    const interval = this.d.config.sources[source.name].intervalMs;
    const t = setTimeout(() => this.tick(source), jittered(interval, this.d.config.poller.jitter, this.random));
    t.unref();
    this.timers.set(source.name, t);
  }

  private run(l: Loop): Promise<void> {
    if (l.running) return l.running; // single-flight
    const { name } = l.source;
    const settings = this.d.config.sources[name];
    const prev = this.d.store.get(name, l.target.id);
    if (isPaused(prev?.pausedUntil, this.d.clock.now())) {
      l.attempted = true;
      return Promise.resolve();
    }
    l.running = this.refresh(l, settings.intervalMs, settings.maxStalenessMs).finally(() => {
      l.running = undefined;
      l.attempted = true;
    });
    return l.running;
  }

  private async refresh(l: Loop, intervalMs: number, maxStalenessMs: number): Promise<void> {
    const { name } = l.source;
    const target = l.target.id;
    const started = this.d.clock.now();
    const log = this.d.logger.child({ source: name, target });
    try {
      const res = await l.source.fetch(this.d.ctx, l.target);
      if (!this.loops.has(key(name, target))) return; // removed while in flight
      const now = this.d.clock.now();
      this.d.store.update(name, target, () => ({ source: name, target, intervalMs, maxStalenessMs, data: res.data, lastSuccess: now, lastAttempt: started, durationMs: now - started, up: true }));
      if (res.unknown.length) {
        this.d.observer?.unknownEnums(res.unknown);
        log.warn({ unknown: res.unknown.slice(0, 5) }, 'unknown enum values from upstream (exported as-is)');
      }
      log.debug({ duration_ms: now - started }, 'refresh ok');
    } catch (err) {
      if (!this.loops.has(key(name, target))) return;
      const now = this.d.clock.now();
      const ge = err instanceof GraphError ? err : undefined;
      const pausedUntil = ge?.reason === 'rate_limited' ? now + (ge.regainMs ?? intervalMs) : undefined;
      this.d.store.update(name, target, (p) => ({
        ...(p ?? { source: name, target }),
        intervalMs,
        maxStalenessMs,
        lastAttempt: started,
        durationMs: now - started,
        up: false,
        error: { reason: ge?.reason ?? 'error', code: ge?.code },
        pausedUntil,
      }));
      log.warn({ duration_ms: now - started, err: ge ? ge.toLog() : { msg: String((err as Error)?.message ?? err) }, paused_until: pausedUntil }, 'refresh failed: keeping last good data');
      if (ge?.reason === 'auth' && name !== 'graph_token') void this.kick('graph_token', l.target.credential.name);
    } finally {
      if (name === 'graph_accounts') this.reconcile();
    }
  }
}
