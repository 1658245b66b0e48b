import { z } from 'zod';
import * as D from '../../config/defaults.js';
import { duration, httpUrl, linkUrl, name, optionalDuration } from '../../config/fields.js';

/**
 * The options every billing account has, whatever its provider: identity, currency, thresholds,
 * the links people act on, polling, and the optional statement (ledger) section.
 */

const oneSource = (s: { file?: string; url?: string }, ctx: z.RefinementCtx) => {
  if (!s.file !== !s.url) return;
  ctx.addIssue({ code: 'custom', message: 'set exactly one of statement.file or statement.url' });
};

/** `missing`: the message when the section is absent, for a provider that cannot work without it. */
export const statementSection = (missing?: string) =>
  z
    .strictObject(
      {
        file: z.string().min(1).optional(),
        url: httpUrl.optional(),
        /** Header values are secrets: never logged or printed. */
        headers: z.record(z.string(), z.string()).optional(),
        format: z.enum(['csv', 'json']).optional(),
        interval: duration(D.DEFAULT_STATEMENT_INTERVAL),
        max_staleness: optionalDuration,
      },
      missing === undefined ? undefined : { error: (iss) => (iss.input === undefined ? missing : undefined) },
    )
    .superRefine(oneSource);

export type StatementOptions = z.output<ReturnType<typeof statementSection>>;

/** Spread into each provider's z.strictObject, next to `provider` and the provider's own options. */
export const accountFields = {
  name,
  interval: duration(D.DEFAULT_BILLING_INTERVAL),
  max_staleness: optionalDuration,
  /** ISO 4217; required when the provider does not report a currency. */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'currency is an ISO 4217 code like USD')
    .transform((s) => s.toUpperCase())
    .optional(),
  thresholds: z
    .strictObject({ low: z.number().nonnegative().optional(), critical: z.number().nonnegative().optional() })
    .prefault({}),
  /** Published in labels, pages and alert annotations: http(s) only (config/fields.ts). */
  top_up_url: linkUrl.optional(),
  payment_link_url: linkUrl.optional(),
  rate_card_url: linkUrl.optional(),
  /** Per request, for the balance API and a statement URL alike. */
  timeout: duration('10s'),
  /**
   * The business portfolios this account pays for. Exported as whatsapp_billing_account_business_info;
   * their estimated cost (webhooks × rate card) is the account's spend rate when it has neither a
   * statement nor a balance that moves.
   */
  business_ids: z
    .array(z.string().regex(/^[0-9]{1,32}$/, 'a business id is digits'))
    .max(10_000)
    .default([]),
  /**
   * WABAs this account pays for, when it pays for some WABAs of a portfolio rather than the whole
   * portfolio (a BSP wallet per client WABA). Exported as whatsapp_billing_account_waba_info.
   */
  waba_ids: z
    .array(z.string().regex(/^[0-9]{1,32}$/, 'a WABA id is digits'))
    .max(10_000)
    .default([]),
  /** Any provider may add a statement; it feeds the top-up and debit counters. */
  statement: statementSection().optional(),
};
