import { z } from 'zod';
import { requiredString } from '../../config/fields.js';
import { type AnswerParser, currencyCode, parseJson, readBalance } from '../balance.js';
import { BillingError } from '../errors.js';
import { getPath } from '../json-path.js';
import { apiKey, keyOptions } from './api-key.js';
import { accountFields } from './options.js';
import { balanceProvider } from './provider.js';

/**
 * 360dialog Partner API, "Get Partner Balance",
 * https://docs.360dialog.com/partner/partner-api/api-reference/balance-and-usage:
 * GET /api/v2/partners/{partner_id}/balance with `X-API-Key: <partner API key>` →
 * PartnerBalanceOut {"total":100.45,"currency":"eur"}. The same page says "there can be multiple
 * balance records for a partner, if partner's balance is topped-up in different currencies", so an
 * object and a list of them are both accepted. For Partner-Paid hubs (prepaid shared balance).
 */
const schema = z.strictObject({
  provider: z.literal('dialog360_partner'),
  ...accountFields,
  ...keyOptions,
  partner_id: requiredString('dialog360_partner needs partner_id (the Partner ID from the Partner Hub, ending in PA)'),
});

/** PartnerBalanceOut's fields, read in the chosen record. */
const RECORD = { balancePath: 'total', currencyPath: 'currency' };

/**
 * One account is one balance in one currency: the record in the account's `currency` when it is
 * set, else the only record. Several records and no `currency` is a failure that says so; adding
 * balances in different currencies would be meaningless.
 */
export const parseDialog360: AnswerParser = (provider, body, settings, wanted) => {
  const json = parseJson(provider, body);
  const records: unknown[] = Array.isArray(json) ? json : [json];
  const path = settings.currencyPath ?? RECORD.currencyPath;
  const picked = wanted ? records.filter((r) => currencyCode(getPath(r, path)) === wanted) : records;
  if (picked.length === 1) return readBalance(provider, picked[0], settings, wanted);
  const have = currencies(records, path);
  if (wanted)
    throw new BillingError(`no single balance record in ${wanted} (the answer has ${have})`, provider, 'missing_field');
  throw new BillingError(
    records.length === 0
      ? 'no balance records'
      : `${records.length} balance records (${have}): set currency to pick one`,
    provider,
    'missing_field',
  );
};

export const dialog360Partner = balanceProvider(
  schema,
  (o, ctx) => {
    const key = apiKey(o, ctx);
    if (!key) return undefined;
    return {
      url: `${o.base_url ?? 'https://hub.360dialog.io'}/api/v2/partners/${encodeURIComponent(o.partner_id)}/balance`,
      method: 'GET',
      headers: { 'x-api-key': key },
      ...RECORD,
    };
  },
  parseDialog360,
);

/** The records' currencies for a message: validated codes only (upstream text stays out), at most five. */
const currencies = (records: unknown[], path: string): string =>
  records
    .slice(0, 5)
    .map((r) => currencyCode(getPath(r, path)) ?? '?')
    .join(', ') + (records.length > 5 ? ', …' : '') || 'none';
