import { request } from 'undici';
import type { Sandbox } from '../../src/sandbox/index.js';

export const TOKEN = 'sandbox-test-token';
export const V = 'v24.0';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed body, or undefined when it is not JSON; `any` because tests poke at wire shapes. */
  // biome-ignore lint/suspicious/noExplicitAny: tests poke at wire shapes of any depth.
  json: any;
}

/** GET `pathOrUrl` (relative to sb.url unless absolute) with a bearer token unless token is null. */
export async function get(sb: Sandbox, pathOrUrl: string, token: string | null = TOKEN): Promise<Answer> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : sb.url + pathOrUrl;
  const res = await request(url, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return answer(res.statusCode, res.headers, await res.body.text());
}

/** POST a Graph batch, form-encoded like Meta documents it. */
export async function postBatch(
  sb: Sandbox,
  batch: unknown,
  extra: Record<string, string> = {},
  path = `/${V}/`,
): Promise<Answer> {
  const form = new URLSearchParams({ batch: typeof batch === 'string' ? batch : JSON.stringify(batch), ...extra });
  const res = await request(sb.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return answer(res.statusCode, res.headers, await res.body.text());
}

/** Call the /_sandbox control API. */
export async function control(
  sb: Sandbox,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await request(`${sb.url}/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return answer(res.statusCode, res.headers, await res.body.text());
}

function answer(status: number, raw: Record<string, string | string[] | undefined>, text: string): Answer {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}
