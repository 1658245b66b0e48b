/**
 * Graph batch requests (META-API §5.5): `batch` = JSON array of up to 50 `{method, relative_url}`,
 * answered by a JSON array aligned with the request, each `{code, headers, body:"<JSON string>"}`,
 * or `null` where the element timed out. Elements go through handleGraph like any request, so
 * they are counted, charged and faulted individually, as at Meta.
 */
import { errors } from './errors.js';
import { faultTarget } from './faults.js';
import {
  checkToken,
  errorResponse,
  faultResponse,
  handleGraph,
  takeFault,
  usageHeaders,
  asGraphError,
  type GraphRequest,
  type GraphResult,
  type SandboxContext,
} from './graph.js';

export const MAX_BATCH = 50;
const VERSION = /^v\d+\.\d+$/;

export interface BatchRequest {
  /** The `batch` parameter: a JSON string (form posts) or an already-parsed array (JSON posts). */
  batch: unknown;
  includeHeaders: boolean;
  token?: string;
  faultTarget: string;
  baseUrl: string;
}

type Element = { code: number; headers?: { name: string; value: string }[]; body: string } | null;

export async function handleBatch(ctx: SandboxContext, req: BatchRequest): Promise<GraphResult> {
  ctx.state.tick();
  ctx.stats.count('batch', false);
  const fault = await takeFault(ctx, req.faultTarget, false);
  if (fault?.kind === 'timeout') return { kind: 'timeout' };
  const injected = fault && faultResponse(ctx, fault, undefined);
  if (injected) return injected;
  let items: unknown[];
  try {
    checkToken(ctx, req.token);
    items = parseBatch(req.batch);
  } catch (e) {
    return errorResponse(ctx, asGraphError(e), undefined);
  }
  const elements = await Promise.all(items.map((item) => runElement(ctx, req, item)));
  let body = JSON.stringify(elements);
  if (fault?.kind === 'truncated') body = body.slice(0, Math.floor(body.length / 2));
  return { kind: 'response', status: 200, headers: usageHeaders(ctx, undefined), body };
}

function parseBatch(raw: unknown): unknown[] {
  if (raw === undefined || raw === '') throw errors.invalidParam('The parameter batch is required');
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw errors.invalidParam('The parameter batch must be a JSON array');
    }
  }
  if (!Array.isArray(value)) throw errors.invalidParam('The parameter batch must be a JSON array');
  if (value.length > MAX_BATCH) throw errors.batchTooLarge(MAX_BATCH);
  return value;
}

async function runElement(ctx: SandboxContext, batch: BatchRequest, item: unknown): Promise<Element> {
  const spec = (item ?? {}) as { method?: unknown; relative_url?: unknown };
  if (typeof spec.relative_url !== 'string') {
    const res = errorResponse(ctx, errors.invalidParam('Missing relative_url in batch element'), undefined);
    return toElement(res, batch.includeHeaders);
  }
  const res = await handleGraph(
    ctx,
    toGraphRequest(spec.relative_url, typeof spec.method === 'string' ? spec.method.toUpperCase() : 'GET', batch),
  );
  return res.kind === 'timeout' ? null : toElement(res, batch.includeHeaders);
}

/** relative_url may start with or without "/" and may or may not carry the version segment. */
function toGraphRequest(relativeUrl: string, method: string, batch: BatchRequest): GraphRequest {
  const url = new URL(relativeUrl.replace(/^\/+/, ''), 'http://batch.invalid/');
  const segs = url.pathname.split('/').filter((s) => s !== '');
  const version = segs[0] !== undefined && VERSION.test(segs[0]) ? segs.shift() : undefined;
  return {
    method,
    path: segs.map(decodeURIComponent).join('/'),
    version,
    query: url.searchParams,
    token: url.searchParams.get('access_token') ?? batch.token,
    faultTarget: faultTarget(relativeUrl),
    inBatch: true,
    baseUrl: batch.baseUrl,
  };
}

function toElement(res: GraphResult & { kind: 'response' }, includeHeaders: boolean): Element {
  if (!includeHeaders) return { code: res.status, body: res.body };
  const headers = Object.entries(res.headers).map(([name, value]) => ({ name: canonical(name), value }));
  return { code: res.status, headers, body: res.body };
}

/** "x-app-usage" → "X-App-Usage", the casing Meta uses inside batch answers. */
function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
