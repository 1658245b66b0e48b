import { z } from 'zod';
import { graphId, name, requiredGraphId } from '../../config/fields.js';
import { accountFields } from './options.js';
import { creditLineProvider } from './provider.js';

/**
 * Meta's credit line ("extended credit"), the way a Solution Partner pays Meta for its clients'
 * WhatsApp usage: read through the Graph client with a configured credential, not over plain
 * HTTP. `credit_available` (the headroom before the line blocks) is the account's balance, so
 * every balance alert applies; see src/billing/credit-line/ and docs/billing.md.
 * https://developers.facebook.com/docs/marketing-api/reference/extended-credit/
 */
const schema = z.strictObject({
  provider: z.literal('meta_credit_line'),
  ...accountFields,
  business_id: requiredGraphId('meta_credit_line needs business_id (the business portfolio that owns the credit line)'),
  /** Which line, when the business has several (Meta usually gives one per business). */
  credit_line_id: graphId.optional(),
  /** The Graph credential (credentials[].name) with business_management on that business. */
  credential: name.default('default'),
});

export const metaCreditLine = creditLineProvider(schema, (o, ctx) => {
  if (!ctx.credential('credential', o.credential)) return undefined;
  return {
    businessId: o.business_id,
    ...(o.credit_line_id === undefined ? {} : { creditLineId: o.credit_line_id }),
    credential: o.credential,
  };
});
