import { z } from 'zod';
import { type AnswerParser, parseBalance } from '../balance.js';
import { dialog360Partner } from './dialog360-partner.js';
import { gupshupPartner } from './gupshup-partner.js';
import { httpJson } from './http-json.js';
import { infobip } from './infobip.js';
import { messagebird } from './messagebird.js';
import { metaCreditLine } from './meta-credit-line.js';
import { plivo } from './plivo.js';
import { providerTable, type BalanceRequest, type BuildContext } from './provider.js';
import type { CreditLineSettings } from '../settings.js';
import { statement } from './statement.js';
import { telnyx } from './telnyx.js';
import { twilio } from './twilio.js';
import { vonage } from './vonage.js';
import { ycloud } from './ycloud.js';

export type { BuildContext } from './provider.js';

/**
 * Every billing provider, by its `provider:` value in the config. The config schema, the
 * provider type and the docs' list derive from this table: a provider is one file plus one row.
 */
export const PROVIDERS = providerTable({
  http_json: httpJson,
  twilio,
  gupshup_partner: gupshupPartner,
  telnyx,
  ycloud,
  infobip,
  vonage,
  messagebird,
  dialog360_partner: dialog360Partner,
  plivo,
  meta_credit_line: metaCreditLine,
  statement,
});

export type ProviderName = keyof typeof PROVIDERS;
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];

type OptionSchema = (typeof PROVIDERS)[ProviderName]['schema'];
const schemas = Object.values(PROVIDERS).map((p) => p.schema) as [OptionSchema, ...OptionSchema[]];

/**
 * One billing account: `provider` picks the strict option schema, so an option of another
 * provider is an unknown key, reported at its own path.
 */
export const billingAccountSchema = z.discriminatedUnion('provider', schemas, {
  error: (iss) => (iss.code === 'invalid_union' ? `provider must be one of ${PROVIDER_NAMES.join(', ')}` : undefined),
});

/** A validated account, as its provider's schema output it. */
export type BillingAccountOptions = z.output<typeof billingAccountSchema>;

/**
 * The account's balance request, from its own provider; undefined for a statement-only provider
 * (or when a secret failed, with an issue). The schema picked the variant by this same key, so
 * the options fit the function; TypeScript cannot correlate the two through the union.
 */
export function balanceRequest(o: BillingAccountOptions, ctx: BuildContext): BalanceRequest | undefined {
  const p = PROVIDERS[o.provider];
  if (p.polls !== 'balance') return undefined;
  return (p.balance as (o: BillingAccountOptions, ctx: BuildContext) => BalanceRequest | undefined)(o, ctx);
}

/** How the account's balance answer is read: its provider's own parser, else JSON paths. */
export function answerParser(name: ProviderName): AnswerParser {
  const p = PROVIDERS[name];
  return (p.polls === 'balance' && p.parse) || parseBalance;
}

/** The account's credit line, for a provider read through the Graph client (meta_credit_line); else undefined. */
export function creditLineSettings(o: BillingAccountOptions, ctx: BuildContext): CreditLineSettings | undefined {
  const p = PROVIDERS[o.provider];
  if (p.polls !== 'credit_line') return undefined;
  return (p.creditLine as (o: BillingAccountOptions, ctx: BuildContext) => CreditLineSettings | undefined)(o, ctx);
}
