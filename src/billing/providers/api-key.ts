import { httpUrl, secretPair } from '../../config/fields.js';
import type { Secret } from '../../config/secret.js';
import type { BuildContext } from './provider.js';

/** The presets' options: a key, and a host override for a proxy or a test server. */
export const apiKeyOptions = {
  api_key: secretPair.value,
  api_key_file: secretPair.file,
  base_url: httpUrl.optional(),
};

export const apiKey = (o: { api_key?: string; api_key_file?: string }, ctx: BuildContext): Secret | undefined =>
  ctx.secret('api_key', o.api_key, o.api_key_file);
