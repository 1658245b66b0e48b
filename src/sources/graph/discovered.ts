import type { Credential } from '../../config/config.js';
import { ACCOUNTS } from '../keys.js';
import type { SourceContext, Target } from '../types.js';
import { accountsSource } from './accounts.js';
import { UNKNOWN_OWNER } from './model.js';

export interface KnownWaba {
  readonly wabaId: string;
  readonly businessId: string;
  readonly credential: Credential;
}

/**
 * WABAs known from the last good graph_accounts data (however old: a listing that fails for
 * longer than max_staleness does not make its WABAs unknown, so their loops go on and their
 * `source_up` reads 0 rather than vanishing), each with the credential of the target that found
 * it. Loops of per-WABA sources follow this list, so a WABA that a successful listing no longer
 * returns loses its loops and series, and a new one gains them.
 */
export function knownWabas(ctx: SourceContext): KnownWaba[] {
  const creds = new Map(accountsSource.targets(ctx).map((t) => [t.id, t.credential]));
  const out = new Map<string, KnownWaba>();
  for (const { target, data } of ctx.readKnown(ACCOUNTS)) {
    const credential = creds.get(target);
    if (!credential) continue;
    for (const w of data.wabas)
      if (!out.has(w.id)) out.set(w.id, { wabaId: w.id, businessId: w.businessId, credential });
  }
  return [...out.values()];
}

/**
 * Sharded mode: what every shard knows from its portfolio listings, whether it owns the WABAs or
 * not: WABA → business, and the portfolio tier fallback per business.
 */
export function portfolioDirectory(ctx: SourceContext): {
  wabaBusiness: Map<string, string>;
  tiers: Map<string, string>;
  credentials: Map<string, Credential>;
} {
  const creds = new Map(accountsSource.targets(ctx).map((t) => [t.id, t.credential]));
  const wabaBusiness = new Map<string, string>();
  const tiers = new Map<string, string>();
  /** Business → the credential of the listing that found it. */
  const credentials = new Map<string, Credential>();
  for (const { target, data } of ctx.read(ACCOUNTS)) {
    const credential = creds.get(target);
    for (const d of data.directory ?? []) {
      if (!wabaBusiness.has(d.wabaId)) wabaBusiness.set(d.wabaId, d.businessId);
      if (credential && d.businessId && d.businessId !== UNKNOWN_OWNER && !credentials.has(d.businessId))
        credentials.set(d.businessId, credential);
    }
    for (const [b, t] of Object.entries(data.portfolioTiers ?? {})) if (!tiers.has(b)) tiers.set(b, t);
  }
  return { wabaBusiness, tiers, credentials };
}

/** One `waba` target per known WABA: what every per-WABA source polls. */
export function wabaTargets(ctx: SourceContext): Target[] {
  return knownWabas(ctx).map((w) => ({
    id: w.wabaId,
    kind: 'waba',
    credential: w.credential,
    businessId: w.businessId,
  }));
}
