import type { Logger } from 'pino';
import type { BillingHttp } from '../billing/http.js';
import type { Config, Credential, SourceSettings } from '../config/config.js';
import type { ShardRule } from '../shard/ownership.js';
import type { Ledger } from '../state/ledger.js';
import type { Clock } from '../util/clock.js';
import type { GraphClient } from './graph/client.js';
import type { UnknownEnum } from './graph/enums.js';
import type { FieldSupport } from './graph/field-support.js';
import type { AnySourceKey, SourceKey, TargetKind } from './key.js';

/** What main.ts gives every source: config (reloadable), clients, clock, logger. */
export interface SourceEnv {
  readonly config: Config;
  readonly graph: GraphClient;
  /** Optional Graph fields rejected per node type (shared by every Graph source). */
  readonly fields: FieldSupport;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Statement ledger and HTTP settings for billing sources. */
  readonly billing?: { readonly ledger: Ledger; readonly http: BillingHttp };
}

/** Fresh data of one target of another source. */
export interface Read<T> {
  readonly target: string;
  readonly data: T;
}

/**
 * A source's view of the world: its env, plus the fresh data of the sources it declared in
 * `traits.reads` (the poller refuses any other), and whether this replica owns an id.
 */
export interface SourceContext extends SourceEnv {
  read<T>(key: SourceKey<T>): ReadonlyArray<Read<T>>;
  /**
   * The last good data of each target however old, for planning targets only: a WABA found by a
   * listing stays a target (its `source_up` reads 0) through an outage of that listing longer than
   * max_staleness, instead of vanishing; its data series still go at max_staleness.
   */
  readKnown<T>(key: SourceKey<T>): ReadonlyArray<Read<T>>;
  /** This replica's place among shards: `sharded` false means it owns everything. */
  readonly shard: { readonly sharded: boolean; owns(id: string): boolean };
}

/** One thing a source polls: a business, a WABA, a credential or a billing account. `id` is the `target` label. */
export interface Target {
  readonly id: string;
  readonly kind: TargetKind;
  /** Graph targets have one; billing targets do not. */
  readonly credential?: Credential;
  readonly businessId?: string;
  readonly discover?: readonly ('owned' | 'client')[];
}

export interface FetchResult<T> {
  readonly data: T;
  readonly unknown: readonly UnknownEnum[];
}

/**
 * What the framework needs to know about a source, declared once beside it. The poller, shard
 * ownership and the budget read these; nothing outside a source names it.
 */
export interface SourceTraits {
  /** Which replica polls a target of each kind this source makes (shard/ownership.ts). */
  readonly shard: Readonly<Partial<Record<TargetKind, ShardRule>>>;
  /**
   * Graph calls one refresh of a `waba` target charges to that WABA (Meta's per-WABA hourly
   * budget, poller/budget.ts), and whether every known WABA has such a loop or only those listed
   * under `wabas:`. Absent: not charged per WABA.
   */
  readonly wabaCost?: { readonly calls: number; readonly wabas: 'every' | 'explicit' };
  /** Its data yields other sources' targets: the poller re-plans loops after each refresh. */
  readonly discovers?: boolean;
  /** Sources whose fresh data it reads (targets or fetch) through `ctx.read`. */
  readonly reads?: readonly AnySourceKey[];
  /** After an auth error (Graph 190), this source is re-run now for the target's credential. */
  readonly onAuthFailure?: AnySourceKey;
  /** Meta's usage headers slow its loops down (Graph sources). */
  readonly usageFeedback?: boolean;
}

/**
 * A data source: which targets to poll (from config and from what other sources found) and how
 * to fetch one. Sources return plain data and never import prom-client, the store or the poller.
 */
export interface SourceDef<T> {
  readonly key: SourceKey<T>;
  readonly traits: SourceTraits;
  targets(ctx: SourceContext): Target[];
  /** Interval, staleness and on/off for one target, from the current config. */
  settings(config: Config, target: Target): SourceSettings;
  /** `previous`: this target's last fresh data, if any. */
  fetch(ctx: SourceContext, target: Target, previous: T | undefined): Promise<FetchResult<T>>;
}

// Sources are stored in one table of mixed data types; `any` is confined to this alias.
// biome-ignore lint/suspicious/noExplicitAny: SourceDef<T> is invariant in T (fetch takes and returns T).
export type AnySource = SourceDef<any>;
