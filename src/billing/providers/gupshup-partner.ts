import { z } from 'zod';
import { requiredString } from '../../config/fields.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';

/**
 * Gupshup partner app wallet, https://partner-docs.gupshup.io/reference/get_partner-app-appid-wallet-balance:
 * the raw partner app token in Authorization → {"walletResponse":{"currency":"USD","currentBalance":150.5}}.
 */
const schema = z.strictObject({
  provider: z.literal('gupshup_partner'),
  ...accountFields,
  ...apiKeyOptions,
  app_id: requiredString('gupshup_partner needs app_id'),
});

export const gupshupPartner = presetProvider(schema, (o, ctx) => {
  const key = apiKey(o, ctx);
  if (!key) return undefined;
  return {
    url: `${o.base_url ?? 'https://partner.gupshup.io'}/partner/app/${o.app_id}/wallet/balance`,
    method: 'GET',
    headers: { authorization: key },
    balancePath: 'walletResponse.currentBalance',
    currencyPath: 'walletResponse.currency',
  };
});
