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
  };
});
