import type { SnapshotStore } from '../poller/store.js';
import type { SourceKey } from '../sources/key.js';
import { ACCOUNTS, LIMITS, TEMPLATES } from '../sources/keys.js';
import type { TemplateRecord } from '../sources/graph/model.js';
import type { TemplateEvent, WebhookEvent } from './events.js';
import type { AccountIndex } from './identity.js';

export interface EffectDeps {
  readonly store: SnapshotStore;
  readonly index: AccountIndex;
  readonly kick: (source: SourceKey<unknown>, target: string) => void;
}

/**
 * What a new (not redelivered) event changes beyond counters: the snapshot, so a template pause
 * or a tier change pushed by Meta shows at once instead of at the next poll. Patches only touch
 * entries the poller already has: the poller stays the owner of what is polled, and a patched
 * entry keeps its lastSuccess, so staleness rules still apply to it.
 */
export function applyEffects(e: WebhookEvent, d: EffectDeps): void {
  switch (e.kind) {
    case 'quality': {
      // The payload has no rating (META-API §4.2): ask the accounts loop for it now.
      const phone = e.displayPhoneNumber ? d.index.phoneByDisplay(e.displayPhoneNumber) : undefined;
      const waba = d.index.waba(phone?.wabaId ?? e.wabaId);
      if (waba) d.kick(ACCOUNTS, waba.accountsTarget);
      if (waba?.businessId && e.tier) patchLimit(d.store, waba.businessId, e.tier);
      return;
    }
    case 'capability': {
      const waba = d.index.waba(e.wabaId);
      if (waba?.businessId && e.tier) patchLimit(d.store, waba.businessId, e.tier);
      return;
    }
    case 'template':
      patchTemplate(d.store, e);
      return;
    default:
      return;
  }
}

function patchLimit(store: SnapshotStore, businessId: string, tier: string): void {
  const prev = store.get(LIMITS, businessId);
  if (!prev?.data || prev.data.tier === tier) return;
  store.update(LIMITS, businessId, (p) => ({ ...(p ?? prev), data: { businessId, tier } }));
}

const lang = (l: string) => l.replace(/-/g, '_').toLowerCase();

function patchTemplate(store: SnapshotStore, e: TemplateEvent): void {
  const prev = store.get(TEMPLATES, e.wabaId);
  const data = prev?.data;
  const patch = Object.fromEntries(
    Object.entries(e.patch).filter(([, v]) => v !== undefined),
  ) as Partial<TemplateRecord>;
  if (!prev || !data || Object.keys(patch).length === 0) return;
  const i = data.templates.findIndex(
    (t) =>
      (e.templateId !== undefined && t.id === e.templateId) ||
      (e.name !== undefined && t.name === e.name && e.language !== undefined && lang(t.language) === lang(e.language)),
  );
  let templates: TemplateRecord[];
  if (i >= 0) {
    templates = data.templates.map((t, j) => (j === i ? { ...t, ...patch } : t));
  } else {
    // Unknown to the last poll (created since): add it, so its status shows before the next poll.
    if (e.name === undefined || e.language === undefined) return;
    templates = [...data.templates, { id: e.templateId ?? '', name: e.name, language: e.language, ...patch }];
  }
  store.update(TEMPLATES, e.wabaId, (p) => ({ ...(p ?? prev), data: { ...data, templates } }));
}
