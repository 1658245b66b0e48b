import type { Credential } from '../config/config.js';
import type { SourceContext } from './types.js';

/** Looks up a credential by name; config validation guarantees it exists. */
export function credentialFor(ctx: SourceContext, name: string): Credential {
  const c = ctx.config.credentials.find((x) => x.name === name);
  if (!c) throw new Error(`no credential named ${name}`);
  return c;
}
