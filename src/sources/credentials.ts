import type { Credential } from '../config/config.js';
import type { SourceContext } from './types.js';

/** Looks up a credential by name; config validation guarantees it exists. */
export function credentialFor(ctx: SourceContext, name: string): Credential {
  const c = ctx.config.credentials.find((x) => x.name === name);
  if (!c) throw new Error(`no credential named ${name}`);
  return c;
}

/** The Graph credential of a target; Graph sources only make targets that have one. */
export function graphCredential(t: { id: string; credential?: Credential }): Credential {
  if (!t.credential) throw new Error(`target ${t.id} has no Graph credential`);
  return t.credential;
}
