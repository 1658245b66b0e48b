import { z } from 'zod';
import { requiredHttpUrl, requiredString, secretPair } from '../../config/fields.js';
import { Secret } from '../../config/secret.js';
import { accountFields } from './options.js';
import { fileHeaders, secretHeaders } from './headers.js';
import { balanceProvider } from './provider.js';

/** Any wallet API answering JSON: the URL, auth and JSON paths are all configured. */
const schema = z
  .strictObject({
    provider: z.literal('http_json'),
    ...accountFields,
    url: requiredHttpUrl('http_json needs url'),
    method: z.enum(['GET', 'POST']).default('GET'),
    /** Header values are treated as secrets: never logged or printed. */
    headers: z.record(z.string(), z.string()).optional(),
    headers_file: z.string().optional(),
    basic_auth: z
      .strictObject({ username: z.string().min(1), password: secretPair.value, password_file: secretPair.file })
      .optional(),
    balance_path: requiredString('http_json needs balance_path (e.g. data.balance)'),
    currency_path: z.string().min(1).optional(),
    /** Some APIs answer 200 with an error body: the value at success_path must equal success_value. */
    success_path: z.string().min(1).optional(),
    success_value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /**
     * Bulk: one answer listing many wallets (a BSP's own billing system). Each item at items_path is
     * an account named by name_path, with balance_path and currency_path read per item; thresholds
     * and links are shared, and `{name}` in a link is the item's name (docs/billing.md#bulk-wallets).
     */
    items_path: z.string().min(1).optional(),
    name_path: z.string().min(1).optional(),
    business_id_path: z.string().min(1).optional(),
    max_items: z.number().int().min(1).max(10_000).default(1_000),
  })
  .superRefine((o, ctx) => {
    if (o.items_path !== undefined && o.name_path === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['name_path'],
        message: 'items_path needs name_path (where each wallet names itself)',
      });
    if (o.items_path === undefined && (o.name_path !== undefined || o.business_id_path !== undefined))
      ctx.addIssue({ code: 'custom', path: ['items_path'], message: 'name_path and business_id_path need items_path' });
  })
  .superRefine((o, ctx) => {
    if (o.currency_path !== undefined || o.currency !== undefined) return;
    ctx.addIssue({
      code: 'custom',
      path: ['currency'],
      message: 'this provider reports no currency: set currency (ISO 4217)',
    });
  });

export const httpJson = balanceProvider(schema, (o, ctx) => {
  const fromFile = fileHeaders(o.headers_file, `${ctx.path}.headers_file`, ctx.issues);
  const headers = { ...secretHeaders(o.headers), ...fromFile };
  if (o.basic_auth) {
    const { username, password, password_file } = o.basic_auth;
    const pw = ctx.secret('basic_auth.password', password, password_file);
    if (pw) headers.authorization = new Secret(`Basic ${Buffer.from(`${username}:${pw.reveal()}`).toString('base64')}`);
  }
  return {
    url: o.url,
    method: o.method,
    headers,
    balancePath: o.balance_path,
    currencyPath: o.currency_path,
    successPath: o.success_path,
    successValue: o.success_value,
    ...(o.items_path !== undefined && o.name_path !== undefined
      ? {
          bulk: {
            itemsPath: o.items_path,
            namePath: o.name_path,
            businessIdPath: o.business_id_path,
            maxItems: o.max_items,
          },
        }
      : {}),
  };
});
