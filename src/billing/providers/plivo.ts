import { z } from 'zod';
import { requiredString } from '../../config/fields.js';
import { Secret } from '../../config/secret.js';
import { type AnswerParser, parseJson, readBalance } from '../balance.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';
import { requirePrepaid } from './prepaid.js';

/**
 * Plivo, "Retrieve account details",
 * https://www.plivo.com/docs/account-api/api-reference/account/retrieve-account-details/ (fields:
 * https://www.plivo.com/docs/account/api/account/the-account-object/): Basic
 * auth_id:auth_token → {"billing_mode":"prepaid","cash_credits":"1.80900",…}. `cash_credits` is
 * a decimal string, "credits of the account in USD": USD is this provider's default `currency`.
 */
const schema = z.strictObject({
  provider: z.literal('plivo'),
  ...accountFields,
  currency: accountFields.currency.default('USD'),
  ...apiKeyOptions,
  auth_id: requiredString('plivo needs auth_id (the Auth ID on the Plivo console overview)'),
});

/** `billing_mode` is "prepaid" or "postpaid": a postpaid account's credits are not what stops sending. */
export const parsePlivo: AnswerParser = (provider, body, s, fallbackCurrency) => {
  const json = parseJson(provider, body);
  requirePrepaid(provider, json, 'billing_mode');
  return readBalance(provider, json, s, fallbackCurrency);
};

export const plivo = presetProvider(
  schema,
  (o, ctx) => {
    const key = apiKey(o, ctx);
    if (!key) return undefined;
    const basic = Buffer.from(`${o.auth_id}:${key.reveal()}`).toString('base64');
    return {
      // The trailing slash is part of Plivo's documented path.
      url: `${o.base_url ?? 'https://api.plivo.com'}/v1/Account/${encodeURIComponent(o.auth_id)}/`,
      method: 'GET',
      headers: { authorization: new Secret(`Basic ${basic}`) },
      balancePath: 'cash_credits',
    };
  },
  parsePlivo,
);
