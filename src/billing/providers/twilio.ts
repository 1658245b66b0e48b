import { z } from 'zod';
import { requiredString } from '../../config/fields.js';
import { Secret } from '../../config/secret.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';

/**
 * Twilio, https://www.twilio.com/docs/usage/api/account#balance: Basic AccountSid:AuthToken →
 * {"balance":"12.29","currency":"USD"}. `api_key` is the auth token.
 */
const schema = z.strictObject({
  provider: z.literal('twilio'),
  ...accountFields,
  ...apiKeyOptions,
  account_sid: requiredString('twilio needs account_sid (the main account: subaccounts carry no balance)'),
});

export const twilio = presetProvider(schema, (o, ctx) => {
  const key = apiKey(o, ctx);
  if (!key) return undefined;
  const basic = Buffer.from(`${o.account_sid}:${key.reveal()}`).toString('base64');
  return {
    url: `${o.base_url ?? 'https://api.twilio.com'}/2010-04-01/Accounts/${o.account_sid}/Balance.json`,
    method: 'GET',
    headers: { authorization: new Secret(`Basic ${basic}`) },
    balancePath: 'balance',
    currencyPath: 'currency',
  };
});
