/**
 * The request pipeline every Graph call goes through, top-level or batch element alike:
 * tick the demo clock → classify → count → fault → auth → resolve → budget → render.
 * It works on a transport-free GraphRequest so batch.ts can run elements through exactly the
 * same code (and the same faults) as real HTTP requests.
 */
import type { Logger } from 'pino';
import type { Clock } from '../util/clock.js';
import { envelope, errors, GraphError } from './errors.js';
import { DEFAULT_SLOW_MS, type FaultInjector, type FaultSpec } from './faults.js';
import { FieldsSyntaxError } from './fields.js';
import { ME, NODE_TYPES, type NodeRef } from './nodes.js';
import { pageFromModifiers, renderEdge, renderNode, selection, type Json, type RenderContext } from './render.js';
import type { SandboxState } from './state.js';
import type { SandboxStats } from './stats.js';
import { debugToken } from './debug-token.js';
import { SANDBOX_APP_ID } from './types.js';
import type { UsageMeter } from './usage.js';

export interface SandboxContext {
  state: SandboxState;
  faults: FaultInjector;
  stats: SandboxStats;
  usage: UsageMeter;
  clock: Clock;
  apiVersion: string;
  defaultPageLimit: number;
  /** Fixed public base URL; otherwise derived from each request's Host header. */
  publicUrl?: string;
  logger?: Logger;
}

export interface GraphRequest {
  method: string;
  /** Path after the optional version segment, no leading slash: "100000000000001/phone_numbers". */
  path: string;
  /** "v24.0" when the client wrote one. */
  version?: string;
  query: URLSearchParams;
  token?: string;
  /** What fault `match` strings are searched in: path+query, or the batch element's relative_url. */
  faultTarget: string;
  inBatch: boolean;
  baseUrl: string;
}

export type GraphResult =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'timeout' };

const JSON_TYPE = 'application/json; charset=UTF-8';

export async function handleGraph(ctx: SandboxContext, req: GraphRequest): Promise<GraphResult> {
  ctx.state.tick();
  const route = classify(ctx.state, req);
  ctx.stats.count(route.statsKind, req.inBatch);
  const fault = await takeFault(ctx, req.faultTarget, req.inBatch);
  if (fault?.kind === 'timeout') return { kind: 'timeout' };
  const injected = fault && faultResponse(ctx, fault, route.touched);
  if (injected) return injected;
  try {
    // debug_token exists to introspect a token that may be dead, so it only needs one present.
    if (route.statsKind === 'debug_token') requireToken(req.token);
    else checkToken(ctx, req.token);
    if (route.error) throw route.error;
    if (route.touched !== undefined && ctx.usage.exhausted(route.touched)) throw errors.throttled();
    ctx.usage.record(route.touched);
    const json = route.run!(renderContext(ctx, req, fault?.kind), req);
    let body = JSON.stringify(json);
    if (fault?.kind === 'truncated') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    return { kind: 'response', status: 200, headers: usageHeaders(ctx, route.touched), body };
  } catch (e) {
    return errorResponse(ctx, asGraphError(e), route.touched);
  }
}

/** Consumes the fault for this request (if any) and waits out its delay. */
export async function takeFault(ctx: SandboxContext, target: string, inBatch: boolean): Promise<FaultSpec | undefined> {
  const fault = ctx.faults.take(target, inBatch);
  if (!fault) return undefined;
  ctx.logger?.debug({ fault: fault.kind, target, inBatch }, 'sandbox fault injected');
  const delay = fault.delayMs ?? (fault.kind === 'slow' ? DEFAULT_SLOW_MS : 0);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  return fault;
}

/** The canned answer for faults that replace the response; undefined for the ones that alter it. */
export function faultResponse(
  ctx: SandboxContext,
  fault: FaultSpec,
  touched: string | undefined,
): GraphResult | undefined {
  const nowS = Math.floor(ctx.clock.now() / 1000);
  switch (fault.kind) {
    case 'http_5xx':
      return errorResponse(ctx, errors.transient(fault.code ?? 2), touched);
    case 'html':
      return {
        kind: 'response',
        status: 502,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Sorry, something went wrong.</h1><p>We're working on it.</p></body></html>",
      };
    case 'token_expired':
      return errorResponse(ctx, errors.tokenExpired(nowS - 60, nowS), touched);
    case 'permission':
      return errorResponse(ctx, errors.permission(), touched);
    case 'throttle': {
      const res = errorResponse(ctx, errors.throttled(), undefined);
      res.headers['x-business-use-case-usage'] = ctx.usage.bucHeader(touched ?? SANDBOX_APP_ID, {
        call_count: 100,
        estimated_time_to_regain_access: fault.regainMinutes ?? 5,
      });
      return res;
    }
    default:
      return undefined; // slow, loop_cursor, endless_cursor, ignore_limit, truncated: answered normally, then altered
  }
}

export function checkToken(ctx: SandboxContext, token: string | undefined): void {
  requireToken(token);
  const st = ctx.state.tokenStatus(token!);
  if (st.state === 'invalid') throw errors.tokenInvalid();
  if (st.state === 'expired') throw errors.tokenExpired(st.info.expiresAt, Math.floor(ctx.clock.now() / 1000));
}

export function errorResponse(
  ctx: SandboxContext,
  err: GraphError,
  touched: string | undefined,
): GraphResult & { kind: 'response' } {
  const headers = usageHeaders(ctx, touched);
  // Meta adds this on auth failures; some clients read it.
  if (err.status === 401)
    headers['www-authenticate'] = `OAuth "Facebook Platform" "invalid_token" "${err.body.message.replace(/"/g, "'")}"`;
  return { kind: 'response', status: err.status, headers, body: envelope(err) };
}

export function usageHeaders(ctx: SandboxContext, touched: string | undefined): Record<string, string> {
  const h: Record<string, string> = { 'content-type': JSON_TYPE, 'x-app-usage': ctx.usage.appHeader() };
  if (touched !== undefined) h['x-business-use-case-usage'] = ctx.usage.bucHeader(touched);
  return h;
}

export function asGraphError(e: unknown): GraphError {
  if (e instanceof GraphError) return e;
  if (e instanceof FieldsSyntaxError) return errors.syntax(e.message);
  throw e;
}

// ---- routing ---------------------------------------------------------------------------------

interface Route {
  statsKind: string;
  /** Business object charged for the call (WABA or business id): the usage-header key. */
  touched?: string;
  error?: GraphError;
  run?: (rc: RenderContext, req: GraphRequest) => Json;
}

/** Stats kind for an edge path whose node id is unknown, so failed calls still count by kind. */
const EDGE_KINDS: Record<string, string> = Object.fromEntries(
  Object.values(NODE_TYPES).flatMap((t) => Object.entries(t.edges).map(([name, e]) => [name, e.statsKind])),
);
const NODE_KINDS: Record<NodeRef['kind'], string> = {
  business: 'business',
  waba: 'waba',
  phone: 'phone',
  template: 'template',
  user: 'me',
  credit_line: 'credit_line',
  allocation: 'allocation_config',
  app: 'subscribed_apps',
};

function classify(state: SandboxState, req: GraphRequest): Route {
  const segs = req.path.split('/').filter((s) => s !== '');
  const [id, edge, ...rest] = segs;
  if (req.method !== 'GET')
    return { statsKind: 'unsupported', error: errors.unknownObject(id ?? '', req.method.toLowerCase()) };
  if (id === undefined) return { statsKind: 'unsupported', error: errors.invalidParam('Unsupported get request.') };
  if (id === 'debug_token' && edge === undefined)
    return { statsKind: 'debug_token', run: (_rc, r) => debugToken(state, r.query.get('input_token')) };
  const ref = lookup(state, id);
  const statsKind = edge === undefined ? (ref ? NODE_KINDS[ref.kind] : 'unknown') : (EDGE_KINDS[edge] ?? 'unknown');
  if (!ref) return { statsKind, error: errors.unknownObject(id) };
  const touched = touchedBy(ref, state);
  if (rest.length > 0) return { statsKind, touched, error: errors.unknownPath(`/${rest.join('/')}`) };
  if (edge === undefined) {
    return {
      statsKind,
      touched,
      run: (rc, r) => renderNode(ref, selection(ref.kind, r.query.get('fields') ?? undefined, rc), rc),
    };
  }
  const def = NODE_TYPES[ref.kind].edges[edge];
  if (!def) return { statsKind, touched, error: errors.unknownPath(`/${edge}`) };
  return {
    statsKind: def.statsKind,
    touched,
    run: (rc, r) => {
      const specs = selection(def.child, r.query.get('fields') ?? undefined, rc, def.defaultFields);
      const q = r.query;
      const page = pageFromModifiers(
        {
          limit: q.get('limit') ?? undefined,
          after: q.get('after') ?? undefined,
          before: q.get('before') ?? undefined,
        },
        rc,
      );
      return { ...renderEdge(ref, edge, specs, page, `/${rc.apiVersion}/${id}/${edge}`, q, rc) };
    },
  };
}

function lookup(state: SandboxState, id: string): NodeRef | undefined {
  if (id === 'me') return { kind: 'user', entry: ME };
  const b = state.business(id);
  if (b) return { kind: 'business', entry: b };
  const w = state.waba(id);
  if (w) return { kind: 'waba', entry: w };
  const p = state.phone(id);
  if (p) return { kind: 'phone', entry: p };
  const t = state.template(id);
  if (t) return { kind: 'template', entry: t };
  const l = state.creditLine(id);
  if (l) return { kind: 'credit_line', entry: l };
  const a = state.allocation(id);
  return a ? { kind: 'allocation', entry: a } : undefined;
}

/**
 * Meta charges number and template reads to their WABA (META-API §5.2); credit-line reads are
 * charged here to the business that owns the line, so its usage header names that business.
 */
function touchedBy(ref: NodeRef, state: SandboxState): string | undefined {
  switch (ref.kind) {
    case 'business':
    case 'waba':
      return ref.entry.wire.id;
    case 'phone':
    case 'template':
      return ref.entry.wabaId;
    case 'credit_line':
      return ref.entry.businessId;
    case 'allocation':
      return state.creditLine(ref.entry.creditLineId)?.businessId;
    default:
      return undefined;
  }
}

function requireToken(token: string | undefined): void {
  if (token === undefined || token === '') throw errors.tokenMissing();
}

function renderContext(ctx: SandboxContext, req: GraphRequest, fault: FaultSpec['kind'] | undefined): RenderContext {
  const carry = new URLSearchParams();
  const token = req.query.get('access_token');
  if (token !== null) carry.set('access_token', token);
  return {
    state: ctx.state,
    versionMajor: Number(/^v(\d+)/.exec(req.version ?? ctx.apiVersion)?.[1] ?? 0),
    apiVersion: ctx.apiVersion,
    baseUrl: ctx.publicUrl ?? req.baseUrl,
    defaultLimit: ctx.defaultPageLimit,
    loopCursor: fault === 'loop_cursor',
    endlessCursor: fault === 'endless_cursor',
    ignoreLimit: fault === 'ignore_limit',
    carry,
  };
}
