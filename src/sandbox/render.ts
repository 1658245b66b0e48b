/**
 * Turns node refs plus a parsed `fields` selection into Graph JSON: scalar fields (stored, else
 * derived), struct sub-selection (`health_status{can_send_message}`), and edges as
 * `{data:[…], paging:{cursors, next?, previous?}}` at any depth. Validation runs first over the
 * whole selection, so an unknown field fails the request even when the list it sits in is empty.
 */
import { pricingAnalytics } from './pricing.js';
import { errors } from './errors.js';
import { formatFields, parseFields, type FieldSpec } from './fields.js';
import { NODE_TYPES, V24_FIELDS, type NodeKind, type NodeRef } from './nodes.js';
import {
  encodeCursor,
  InvalidCursorError,
  nextUrl,
  paginate,
  previousUrl,
  type Page,
  type PageRequest,
} from './paging.js';
import type { SandboxState } from './state.js';
import type { WabaEntry } from './types.js';

export interface RenderContext {
  state: SandboxState;
  /** Major version of the request (24 for v24.0); gates v24-only fields. */
  versionMajor: number;
  /** Version segment written into paging URLs. */
  apiVersion: string;
  baseUrl: string;
  defaultLimit: number;
  /** loop_cursor fault: every `next` points back at the page just served. */
  loopCursor: boolean;
  /**
   * endless_cursor fault: every `next` carries a cursor never seen before that serves the first
   * page again, so comparing cursors cannot tell it from a long listing.
   */
  endlessCursor?: boolean;
  /** ignore_limit fault: `limit` (parameter or `.limit()` modifier) is ignored: one page holds everything. */
  ignoreLimit?: boolean;
  /** Query parameters to carry into nested `next` URLs (Meta carries access_token). */
  carry: URLSearchParams;
}

export type Json = Record<string, unknown>;

/** The selection for `raw` (a fields= value) on `kind`, defaults applied, validated. */
export function selection(kind: NodeKind, raw: string | undefined, ctx: RenderContext, fallback?: string): FieldSpec[] {
  const specs =
    raw === undefined || raw.trim() === '' ? parseFields(fallback ?? NODE_TYPES[kind].defaultFields) : parseFields(raw);
  validate(kind, specs, ctx);
  return specs;
}

export function renderNode(ref: NodeRef, specs: FieldSpec[], ctx: RenderContext): Json {
  const type = NODE_TYPES[ref.kind];
  const wire = ref.entry.wire;
  const out: Json = {};
  for (const spec of specs) {
    const key = spec.alias ?? spec.name;
    const edge = type.edges[spec.name];
    if (edge) {
      const children =
        spec.children && spec.children.length > 0
          ? spec.children
          : parseFields(edge.defaultFields ?? NODE_TYPES[edge.child].defaultFields);
      const page = pageFromModifiers(spec.modifiers, ctx);
      const carry = new URLSearchParams(ctx.carry);
      carry.set('fields', formatFields(children));
      carry.set('limit', String(page.limit));
      const listing = renderEdge(
        ref,
        spec.name,
        children,
        page,
        `/${ctx.apiVersion}/${wire.id}/${spec.name}`,
        carry,
        ctx,
      );
      // Graph leaves an expanded edge out entirely when it has nothing in it.
      if (listing.data.length > 0)
        out[key] = spec.name === 'phone_numbers' && ctx.state.quirks.phoneNumbersAsArray ? listing.data : listing;
      continue;
    }
    const value =
      ref.kind === 'waba' && spec.name === 'pricing_analytics'
        ? ctx.state.quirks.pricingAnalytics
          ? ctx.state.quirks.pricingAnalytics.value
          : pricingAnalytics(ref.entry as WabaEntry, spec.modifiers)
        : Object.hasOwn(wire, spec.name)
          ? wire[spec.name]
          : type.derived[spec.name]?.(ref.entry as never, ctx.state);
    if (value !== undefined) out[key] = spec.children && spec.children.length > 0 ? pick(value, spec.children) : value;
  }
  // Graph always answers with the node's id, requested or not.
  if (!('id' in out) && !type.noId) out.id = wire.id;
  return out;
}

export interface Listing {
  data: Json[];
  paging?: { cursors: { before: string; after: string }; next?: string; previous?: string };
}

/** One page of `edge` under `ref`; `path` + `query` are what `next`/`previous` URLs repeat. */
export function renderEdge(
  ref: NodeRef,
  edge: string,
  specs: FieldSpec[],
  page: PageRequest,
  path: string,
  query: URLSearchParams,
  ctx: RenderContext,
): Listing {
  const def = NODE_TYPES[ref.kind].edges[edge];
  if (!def) throw errors.unknownPath(`/${edge}`);
  const all = def.list(ref.entry as never, ctx.state);
  let p: Page<(typeof all)[number]>;
  try {
    p = paginate(all, (r) => r.entry.wire.id, page);
  } catch (e) {
    if (e instanceof InvalidCursorError)
      throw edge === 'message_templates' ? errors.invalidCursor() : errors.invalidParam('Invalid cursor');
    throw e;
  }
  const data = p.items.map((r) => renderNode(r, specs, ctx));
  if (!p.cursors) return { data };
  const paging: NonNullable<Listing['paging']> = { cursors: { ...p.cursors } };
  if (ctx.loopCursor) {
    const same = page.after ?? encodeCursor(-1, '');
    paging.cursors.after = same;
    paging.next = nextUrl(ctx.baseUrl, path, query, same);
  } else if (ctx.endlessCursor) {
    // Index -1 serves the first page; the key only makes each cursor new.
    const fresh = encodeCursor(-1, `endless-${endlessSeq(page.after) + 1}`);
    paging.cursors.after = fresh;
    paging.next = nextUrl(ctx.baseUrl, path, query, fresh);
  } else if (p.hasNext) {
    paging.next = nextUrl(ctx.baseUrl, path, query, p.cursors.after);
  }
  if (p.hasPrevious) paging.previous = previousUrl(ctx.baseUrl, path, query, p.cursors.before);
  return { data, paging };
}

/** `limit`/`after`/`before` from query parameters or from `.limit()`-style modifiers. */
export function pageFromModifiers(m: Record<string, string | undefined>, ctx: RenderContext): PageRequest {
  const page: PageRequest = { limit: ctx.defaultLimit };
  if (m.limit !== undefined && m.limit !== '') {
    const n = Number(m.limit);
    if (!Number.isInteger(n) || n <= 0)
      throw errors.invalidParam(`Param limit must be a positive integer, got "${m.limit}"`);
    page.limit = n;
  }
  if (ctx.ignoreLimit) page.limit = Number.MAX_SAFE_INTEGER;
  if (m.after) page.after = m.after;
  else if (m.before) page.before = m.before;
  return page;
}

function validate(kind: NodeKind, specs: FieldSpec[], ctx: RenderContext): void {
  const type = NODE_TYPES[kind];
  for (const spec of specs) {
    const rejected = ctx.state.quirks.rejectFields[kind];
    if (rejected?.fields.includes(spec.name))
      throw rejected.named
        ? errors.unknownField(spec.name, type.graphType)
        : errors.invalidParam('(#100) Invalid parameter');
    const edge = type.edges[spec.name];
    if (edge) {
      if (spec.children) validate(edge.child, spec.children, ctx);
      pageFromModifiers(spec.modifiers, ctx);
      continue;
    }
    const known = type.known.has(spec.name) || ctx.state.patchedFields(kind).has(spec.name);
    if (!known || (V24_FIELDS.has(spec.name) && ctx.versionMajor < 24))
      throw errors.unknownField(spec.name, type.graphType);
  }
}

/** Sub-selection on a struct or list of structs; unknown keys are simply absent. */
function pick(value: unknown, specs: FieldSpec[]): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, specs));
  if (value === null || typeof value !== 'object') return value;
  const src = value as Json;
  const out: Json = {};
  for (const s of specs) {
    if (src[s.name] !== undefined)
      out[s.alias ?? s.name] = s.children && s.children.length > 0 ? pick(src[s.name], s.children) : src[s.name];
  }
  return out;
}

/** The sequence number an endless_cursor cursor carries (0 for none). */
function endlessSeq(after: string | undefined): number {
  const m = after === undefined ? null : /:endless-(\d+)$/.exec(Buffer.from(after, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : 0;
}
