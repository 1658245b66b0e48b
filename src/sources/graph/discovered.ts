import type { Credential } from '../../config/config.js';
import { freshData } from '../../poller/store.js';
import type { SourceContext } from '../types.js';
import { accountsSource } from './accounts.js';
import type { AccountsData } from './model.js';

export interface KnownWaba {
  readonly wabaId: string;
  readonly businessId: string;
  readonly credential: Credential;
}

/**
 * WABAs currently known from fresh graph_accounts data, each with the credential of the target
 * that found it. Loops of per-WABA sources follow this list, so a WABA that disappears upstream
 * loses its loops and series, and a new one gains them.
 */
export function knownWabas(ctx: SourceContext): KnownWaba[] {
  const now = ctx.clock.now();
  const creds = new Map(accountsSource.targets(ctx).map((t) => [t.id, t.credential]));
  const out = new Map<string, KnownWaba>();
  for (const e of ctx.store.bySource<AccountsData>('graph_accounts')) {
    const data = freshData(e, now);
    const credential = creds.get(e.target);
    if (!data || !credential) continue;
    for (const w of data.wabas) if (!out.has(w.id)) out.set(w.id, { wabaId: w.id, businessId: w.businessId, credential });
  }
  return [...out.values()];
}
