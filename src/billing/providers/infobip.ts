import { z } from 'zod';
import { requiredHttpUrl } from '../../config/fields.js';
import { Secret } from '../../config/secret.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';

/**
 * Infobip, https://dev.infobip.com/settings/account-balance: "App <key>" →
 * {"balance":47.79,"currency":"EUR"}. Every account has its own API host, so there is no default.
 */
const schema = z.strictObject({
  provider: z.literal('infobip'),
  ...accountFields,
  ...apiKeyOptions,
  base_url: requiredHttpUrl('infobip needs base_url (your account host, e.g. https://xxxxx.api.infobip.com)'),
});

export const infobip = presetProvider(schema, (o, ctx) => {
  const key = apiKey(o, ctx);
  if (!key) return undefined;
  return {
    url: `${o.base_url}/account/1/balance`,
    method: 'GET',
    headers: { authorization: new Secret(`App ${key.reveal()}`) },
    balancePath: 'balance',
    currencyPath: 'currency',
  };
});
