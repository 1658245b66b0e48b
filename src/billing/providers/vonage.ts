import { z } from 'zod';
import { secretPair } from '../../config/fields.js';
import { Secret } from '../../config/secret.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';

/**
 * Vonage (Nexmo) Account API, https://developer.vonage.com/en/account/code-snippets/account-balance
 * (spec: github.com/nexmo/api-specification definitions/account.yml): Basic api_key:api_secret →
 * {"value":10.28,"autoReload":false}. The answer names no currency; the spec's SDKs say "the
 * balance of the account, in EUR" (vonage-dotnet-sdk Accounts/Balance.cs) and the snippets print
 * EUR, so EUR is this provider's default `currency`. The legacy ?api_key=&api_secret= query form
 * is not used: a secret in a URL ends up in access logs.
 */
const schema = z.strictObject({
  provider: z.literal('vonage'),
  ...accountFields,
  currency: accountFields.currency.default('EUR'),
  ...apiKeyOptions,
  api_secret: secretPair.value,
  api_secret_file: secretPair.file,
});

export const vonage = presetProvider(schema, (o, ctx) => {
  const key = apiKey(o, ctx);
  const secret = ctx.secret('api_secret', o.api_secret, o.api_secret_file);
  if (!key || !secret) return undefined;
  const basic = Buffer.from(`${key.reveal()}:${secret.reveal()}`).toString('base64');
  return {
    url: `${o.base_url ?? 'https://rest.nexmo.com'}/account/get-balance`,
    method: 'GET',
    headers: { authorization: new Secret(`Basic ${basic}`) },
    balancePath: 'value',
  };
});
