import type { Logger } from 'pino';
import type { Config, Credential, SourceName, SourceSettings } from '../config/config.js';
import type { Ledger } from './billing/ledger.js';
import type { BillingHttp } from './billing/http.js';
import type { SnapshotStore } from '../poller/store.js';
import type { Clock } from '../util/clock.js';
import type { GraphClient } from './graph/client.js';
import type { UnknownEnum } from './graph/enums.js';

export interface SourceContext {
  readonly config: Config;
  readonly graph: GraphClient;
  readonly store: SnapshotStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Statement ledger and HTTP settings for billing sources. */
  readonly billing?: { readonly ledger: Ledger; readonly http: BillingHttp };
}

/** One thing a source polls: a business, a WABA or a credential. `id` is the `target` label. */
export interface Target {
  readonly id: string;
  /** Graph targets have one; billing targets do not. */
  readonly credential?: Credential;
  readonly kind?: string;
  readonly businessId?: string;
  readonly discover?: readonly ('owned' | 'client')[];
}

export interface FetchResult<T> {
  readonly data: T;
  readonly unknown: readonly UnknownEnum[];
}

/**
 * A data source: which targets to poll (from config and from what other sources discovered) and
 * how to fetch one target. Sources return plain data and never import prom-client.
 */
export interface SourceDef<T = unknown> {
  readonly name: SourceName;
  targets(ctx: SourceContext): Target[];
  /** Interval, staleness and on/off for one target (billing accounts differ); default: config.sources[name]. */
  settings?(ctx: SourceContext, target: Target): SourceSettings;
  fetch(ctx: SourceContext, target: Target): Promise<FetchResult<T>>;
}
