import { z } from 'zod';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';

/**
 * YCloud, https://docs.ycloud.com/reference/authentication (its example call is the balance):
 * X-API-Key → {"amount":190.0765,"currency":"USD"}.
 */
const schema = z.strictObject({
  provider: z.literal('ycloud'),
  ...accountFields,
  ...apiKeyOptions,
});

export const ycloud = presetProvider(schema, (o, ctx) => {
  const key = apiKey(o, ctx);
  if (!key) return undefined;
  return {
    url: `${o.base_url ?? 'https://api.ycloud.com'}/v2/balance`,
    method: 'GET',
    headers: { 'x-api-key': key },
    balancePath: 'amount',
    currencyPath: 'currency',
  };
});
