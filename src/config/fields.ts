import { z } from 'zod';
import { parseBytes } from './bytes.js';
import { parseDuration } from './duration.js';

/**
 * Field builders shared by the config schema and the billing providers' option schemas
 * (src/billing/providers), so a duration or a name means the same thing in every section.
 */

const toDuration = (v: string | number, ctx: z.RefinementCtx): number => {
  const ms = parseDuration(v);
  if (ms !== undefined) return ms;
  ctx.addIssue({ code: 'custom', message: `invalid duration ${JSON.stringify(v)} (use e.g. 30s, 5m, 1h)` });
  return z.NEVER;
};

/** A duration field: "30s", "5m", "1h" or seconds as a number; parsed to milliseconds. */
export const duration = (def: string) => z.union([z.string(), z.number()]).default(def).transform(toDuration);

export const optionalDuration = z
  .union([z.string(), z.number()])
  .optional()
  .transform((v, ctx) => (v === undefined ? undefined : toDuration(v, ctx)));

const toGraphId = (v: string | number, ctx: z.RefinementCtx): string => {
  if (typeof v === 'number') {
    ctx.addIssue({ code: 'custom', message: 'ids must be quoted strings (large numbers lose digits in YAML)' });
    return z.NEVER;
  }
  if (!/^\d{1,32}$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: `not a Graph object id: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return v;
};

/** Graph object ids are numeric strings; YAML may hand us numbers, which lose digits past 2^53. */
export const graphId = z.union([z.string(), z.number()]).transform(toGraphId);

/** A Graph id an option cannot do without; `message` says which provider needs it and why. */
export const requiredGraphId = (message: string) =>
  z
    .union([z.string(), z.number()], { error: (iss) => (iss.input === undefined ? message : undefined) })
    .transform(toGraphId);

export const bytes = (def: string) =>
  z
    .union([z.string(), z.number()])
    .default(def)
    .transform((v, ctx) => {
      const n = parseBytes(v);
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message: `invalid size ${JSON.stringify(v)} (use e.g. 512kb, 1mb)` });
        return z.NEVER;
      }
      return n;
    });

export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const name = z
  .string()
  .regex(NAME_PATTERN, 'names may use letters, digits, _ . - and must not start with a digit');

/** http(s) only: a file:// or ftp:// URL is a typo, not something the exporter can poll. */
const HTTP_PROTOCOL = /^https?$/;
export const httpUrl = z.url({ protocol: HTTP_PROTOCOL });

/** An http(s) URL a provider cannot work without; `message` says which provider and why. */
export const requiredHttpUrl = (message: string) =>
  z.url({ protocol: HTTP_PROTOCOL, error: (iss) => (iss.input === undefined ? message : undefined) });

/** Whether a link may be published: an absolute http(s) URL without user:password@. */
export function isLinkUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return HTTP_PROTOCOL.test(u.protocol.slice(0, -1)) && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/**
 * A link people click (top-up, pay-via-link, rate card): it is exported as a label, shown on the
 * pages and copied into Alertmanager annotations, where a javascript: or data: URL would run in
 * whatever renders it and credentials in the URL would be published. z.url() alone accepts both.
 */
export const linkUrl = z.string().superRefine((v, ctx) => {
  if (isLinkUrl(v)) return;
  ctx.addIssue({ code: 'custom', message: 'a link must be an http(s) URL without user:password@' });
});

/** Secrets are given either inline (usually "${ENV_VAR}") or as a *_file path; load.ts resolves them. */
export const secretPair = { value: z.string().min(1).optional(), file: z.string().min(1).optional() };

/**
 * A string option a provider cannot work without. The message names the provider, because the
 * same key may be optional for another one.
 */
export const requiredString = (message: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? message : undefined) }).min(1, message);
