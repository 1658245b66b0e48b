import { z } from 'zod';
import { Secret } from '../../config/secret.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';

/**
 * Telnyx, https://developers.telnyx.com/api-reference/billing/get-user-balance-details:
 * Bearer API key → {"data":{"balance":"300.00","currency":"USD"}}.
 */
const schema = z.strictObject({
  provider: z.literal('telnyx'),
  ...accountFields,
  ...apiKeyOptions,
});

export const telnyx = presetProvider(schema, (o, ctx) => {
  const key = apiKey(o, ctx);
  if (!key) return undefined;
  return {
    url: `${o.base_url ?? 'https://api.telnyx.com'}/v2/balance`,
    method: 'GET',
    headers: { authorization: new Secret(`Bearer ${key.reveal()}`) },
    balancePath: 'data.balance',
    currencyPath: 'data.currency',
  };
});
