import { z } from 'zod';
import { Secret } from '../../config/secret.js';
import { type AnswerParser, parseJson, readBalance } from '../balance.js';
import { BillingError } from '../errors.js';
import { getPath } from '../json-path.js';
import { apiKey, apiKeyOptions, presetProvider } from './api-key.js';
import { accountFields } from './options.js';
import { requirePrepaid } from './prepaid.js';

/**
 * MessageBird (legacy REST API, now Bird), https://developers.messagebird.com/api/balance/:
 * `AccessKey <key>` → {"payment":"prepaid","type":"euros","amount":103}. `type` is "euros",
 * "pounds", "dollars", an ISO 4217 code, or "credits" (not money: a parse failure). Bird's new
 * platform (api.bird.com) has no balance API for access keys: see docs/billing.md.
 */
const schema = z.strictObject({
  provider: z.literal('messagebird'),
  ...accountFields,
  ...apiKeyOptions,
});

/**
 * "When postpaid is your payment method, the amount will be 0" (the doc above): that 0 is not money
 * left, so a postpaid account is a failure with a reason (requirePrepaid). An `errors` list is
 * MessageBird's error body, whatever the HTTP status.
 */
export const parseMessageBird: AnswerParser = (provider, body, s, fallbackCurrency) => {
  const json = parseJson(provider, body);
  const errors = getPath(json, 'errors');
  if (Array.isArray(errors) && errors.length > 0)
    throw new BillingError(`error answer, codes ${errorCodes(errors)}`, provider, 'upstream_error');
  requirePrepaid(provider, json, 'payment');
  return readBalance(provider, json, s, fallbackCurrency);
};

export const messagebird = presetProvider(
  schema,
  (o, ctx) => {
    const key = apiKey(o, ctx);
    if (!key) return undefined;
    return {
      url: `${o.base_url ?? 'https://rest.messagebird.com'}/balance`,
      method: 'GET',
      headers: { authorization: new Secret(`AccessKey ${key.reveal()}`) },
      balancePath: 'amount',
      currencyPath: 'type',
    };
  },
  parseMessageBird,
);

/** Numeric codes only (descriptions are upstream text), at most three. */
const errorCodes = (errors: unknown[]): string =>
  errors
    .map((e) => getPath(e, 'code'))
    .filter((c): c is number => typeof c === 'number' && Number.isInteger(c))
    .slice(0, 3)
    .join(', ') || 'none';
