import { Secret } from './secret.js';

const REDACTED = '<secret>';
/**
 * Shorter values are not replaced: "1" or "5m" from ${INTERVAL} would turn every digit of a
 * message into <secret>. A secret of three characters is not one.
 */
const MIN_LENGTH = 4;

export type Redactor = (text: string) => string;

/**
 * Replaces every occurrence of the given values (as written, JSON-escaped and URL-encoded) with
 * <secret>. Config errors echo the offending value (`invalid duration "…"`), and the value may
 * have come from ${WHATSAPP_ACCESS_TOKEN} or a *_file: the error text, the log line and the reload
 * answer then carried the secret.
 */
export function redactor(values: Iterable<string>): Redactor {
  const forms = new Set<string>();
  for (const v of values) {
    if (v.length < MIN_LENGTH) continue;
    forms.add(v);
    forms.add(JSON.stringify(v).slice(1, -1));
    forms.add(encodeURIComponent(v));
  }
  // Longest first: a secret containing another one is replaced whole.
  const list = [...forms].sort((a, b) => b.length - a.length);
  return (text) => list.reduce((out, f) => out.split(f).join(REDACTED), text);
}

const byConfig = new WeakMap<object, Redactor>();
const identity: Redactor = (s) => s;

/** The redactor of the values a loaded configuration came from (errors found after loading it). */
export function redactorOf(config: object): Redactor {
  return byConfig.get(config) ?? identity;
}

export function rememberRedactor(config: object, r: Redactor): void {
  byConfig.set(config, r);
}

/** The parts of a URL that carry credentials: the password and every query value. */
export function urlSecrets(u: string): string[] {
  const url = parseUrl(u);
  if (!url) return [];
  return [decodeURIComponent(url.password), ...[...url.searchParams.values()]].filter((v) => v !== '');
}

/**
 * A copy of the configuration for printing (check-config): Secrets stay Secrets (they print as
 * <secret>), URLs lose their credentials: `https://user:<secret>@host/path?api_key=<secret>`.
 */
export function forPrinting(value: unknown): unknown {
  if (value instanceof Secret) return value;
  if (typeof value === 'string') return maskUrl(value);
  if (Array.isArray(value)) return value.map(forPrinting);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forPrinting(v)]));
  return value;
}

function maskUrl(s: string): string {
  const url = parseUrl(s);
  if (!url || (url.username === '' && url.password === '' && url.search === '')) return s;
  const user = url.username === '' && url.password === '' ? '' : `${url.username}:${REDACTED}@`;
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=${REDACTED}`).join('&');
  return `${url.protocol}//${user}${url.host}${url.pathname}${query ? `?${query}` : ''}`;
}

function parseUrl(s: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) return undefined;
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}
