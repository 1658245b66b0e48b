import { z } from 'zod';
import type { AnswerParser } from '../balance.js';
import { httpUrl, secretPair } from '../../config/fields.js';
import type { Secret } from '../../config/secret.js';
import { type BalanceProvider, type BalanceRequest, type BuildContext, balanceProvider } from './provider.js';

/** A key and a host override for a proxy or a test server. */
export const keyOptions = {
  api_key: secretPair.value,
  api_key_file: secretPair.file,
  base_url: httpUrl.optional(),
};

/**
 * The presets' options: a key, a host override, and the overrides every preset reading its answer
 * by JSON paths has always accepted for an API that answers slightly differently from its
 * documented shape (method, balance path, a success check).
 */
export const apiKeyOptions = {
  ...keyOptions,
  method: z.enum(['GET', 'POST']).optional(),
  balance_path: z.string().min(1).optional(),
  success_path: z.string().min(1).optional(),
  success_value: z.union([z.string(), z.number(), z.boolean()]).optional(),
};

export const apiKey = (o: { api_key?: string; api_key_file?: string }, ctx: BuildContext): Secret | undefined =>
  ctx.secret('api_key', o.api_key, o.api_key_file);

interface PresetOverrides {
  method?: 'GET' | 'POST';
  balance_path?: string;
  success_path?: string;
  success_value?: string | number | boolean;
}

/**
 * A preset: its documented request, then the account's overrides on top. A `parse` of its own
 * reads the answer through the same (overridable) paths after its own checks.
 */
export const presetProvider = <S extends z.ZodType<PresetOverrides>>(
  schema: S,
  request: BalanceProvider<S>['balance'],
  parse?: AnswerParser,
): BalanceProvider<S> =>
  balanceProvider(
    schema,
    (o, ctx) => {
      const r = request(o, ctx);
      if (!r) return undefined;
      const over: PresetOverrides = o;
      const out: BalanceRequest = {
        ...r,
        ...(over.method ? { method: over.method } : {}),
        ...(over.balance_path ? { balancePath: over.balance_path } : {}),
        ...(over.success_path ? { successPath: over.success_path, successValue: over.success_value } : {}),
      };
      return out;
    },
    parse,
  );
