import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { Credential } from '../../config/config.js';
import { backoffDelay } from '../../util/backoff.js';
import { Semaphore } from '../../util/semaphore.js';
import {
  classify,
  GraphError,
  parseError,
  schemaError,
  timeoutError,
  tooLargeError,
  type FailureReason,
} from './errors.js';
import { send, type HttpAnswer } from './http.js';
import type { PageBudget } from './page-budget.js';
import { oversizedPage } from './page-items.js';
import { shapeProblem } from './schema.js';
import type { z } from 'zod';
import { parseUsageHeaders, type UsageReading } from './usage.js';

/** What the client reports about itself; implemented by the exporter's self-metrics. */
export interface GraphObserver {
  /** An endpoint is about to be read, batched or not (its failure counters start at 0). */
  endpoint?(endpoint: string): void;
  request(endpoint: string): void;
  failure(endpoint: string, reason: FailureReason): void;
  usage(readings: UsageReading[]): void;
}

export interface GraphClientOptions {
  baseUrl: string;
  apiVersion: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  batchSize: number;
  batchWindowMs: number;
  maxConcurrent: number;
  /** Pause used when Meta throttles without saying for how long. */
  throttlePauseMs: number;
  /** Bytes read of one answer (a GET, a batch, debug_token) at most: graph.max_response_size. */
  maxResponseBytes: number;
  /** Items in one edge page (`data` array, nested ones too) at most: graph.max_page_items. */
  maxPageItems: number;
  logger: Logger;
  observer?: GraphObserver;
  dispatcher?: Dispatcher;
  random?: () => number;
}

/** A GET on a Graph node or edge: path without version ("<WABA_ID>/phone_numbers"), query params. */
export interface GraphRequest {
  path: string;
  params?: Record<string, string>;
  /** Short name for metrics and logs ("waba", "phone_numbers", …). */
  endpoint: string;
}

interface Pending {
  cred: Credential;
  req: GraphRequest;
  attempt: number;
  /** Retry outside any batch: set after a whole batch failed, so one slow sub-request cannot sink the others again. */
  solo?: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface BatchElement {
  code?: unknown;
  headers?: Array<{ name?: unknown; value?: unknown }>;
  body?: unknown;
}

/**
 * Graph API client. Concurrent GETs issued within `batchWindowMs` for the same credential are
 * coalesced into Graph batch calls of up to 50 sub-requests, which is what lets one HTTP call
 * refresh 50 WABAs. Retries (5xx, timeouts, null batch elements) use capped exponential backoff
 * with jitter; throttling is never retried here: the caller pauses until the regain time.
 */
export class GraphClient {
  private readonly queues = new Map<string, Pending[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly sem: Semaphore;
  private readonly random: () => number;
  /** Set on one refresh's view of the client (withPageBudget) only. */
  private readonly pages?: PageBudget;

  constructor(private readonly o: GraphClientOptions) {
    this.sem = new Semaphore(o.maxConcurrent);
    this.random = o.random ?? Math.random;
  }

  /** A batched, retried GET. Resolves with the parsed JSON body or rejects with a GraphError. */
  get(cred: Credential, req: GraphRequest): Promise<unknown> {
    this.o.observer?.endpoint?.(req.endpoint);
    return new Promise((resolve, reject) => this.enqueue({ cred, req, attempt: 0, resolve, reject }));
  }

  /**
   * This client as one refresh sees it: the same queues, batches and limits, plus the follow-up
   * pages the refresh may still read (nextPage). A view, not a copy: it costs one object.
   */
  withPageBudget(pages: PageBudget): GraphClient {
    return Object.create(this, { pages: { value: pages } }) as GraphClient;
  }

  /**
   * A follow-up page of a listing (paging.ts): a batched GET charged to the refresh's page budget.
   * Past it the listing fails as `too_large`, counted, instead of spending more of Meta's budget.
   */
  nextPage(cred: Credential, req: GraphRequest): Promise<unknown> {
    if (this.pages && !this.pages.take())
      return Promise.reject(
        this.counted(
          tooLargeError(
            req.endpoint,
            `more than ${this.pages.limit} follow-up pages in one refresh (graph.hourly_budget_per_waba × graph.budget_share × interval; docs/sharding-and-budget.md#bounded-answers)`,
          ),
        ),
      );
    return this.get(cred, req);
  }

  /** Counts a failure found outside the client (a paging loop), under its endpoint and reason. */
  counted(err: GraphError): GraphError {
    this.o.observer?.failure(err.endpoint, err.reason);
    return err;
  }

  /**
   * A GET outside the batching queue (token introspection calls with its own token), sent as a
   * Graph batch of one: its parameters travel in the POST body, never in a URL. debug_token's
   * input_token is the access token itself, and a URL is what proxies and access logs record.
   * https://developers.facebook.com/docs/graph-api/batch-requests
   */
  async getDirect(token: string, req: GraphRequest): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sem.run(() => this.singleInBatch(token, req));
      } catch (err) {
        if (err instanceof GraphError) this.o.observer?.failure(req.endpoint, err.reason);
        if (!(err instanceof GraphError) || !err.retryable || attempt >= this.o.maxRetries) throw err;
        await sleep(backoffDelay(attempt, this.o.retryBaseMs, this.o.retryMaxMs, this.random));
      }
    }
  }

  /**
   * Checks an answer against the shape its parser relies on; a mismatch is counted as a failure
   * of `endpoint` (reason "schema") and thrown, so the source is down and keeps its last good data.
   */
  expectShape<T>(endpoint: string, schema: z.ZodType<T>, raw: unknown): T {
    const problem = shapeProblem(schema, raw);
    if (problem === undefined) return raw as T;
    this.o.observer?.failure(endpoint, 'schema');
    throw schemaError(endpoint, problem);
  }

  /** Stops pending batch timers (shutdown). Pending requests are rejected. */
  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const q of this.queues.values())
      for (const p of q)
        p.reject(new GraphError('client closed', { endpoint: p.req.endpoint, reason: 'timeout', retryable: false }));
    this.queues.clear();
  }

  private enqueue(p: Pending): void {
    if (p.solo) {
      void this.sem.run(() => this.dispatch([p]));
      return;
    }
    const key = p.cred.name;
    let q = this.queues.get(key);
    if (!q) this.queues.set(key, (q = []));
    q.push(p);
    if (q.length >= this.o.batchSize) this.flush(key);
    else if (!this.timers.has(key))
      this.timers.set(
        key,
        setTimeout(() => this.flush(key), this.o.batchWindowMs),
      );
  }

  private flush(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    const q = this.queues.get(key);
    if (!q || q.length === 0) return;
    while (q.length > 0) {
      const chunk = q.splice(0, this.o.batchSize);
      void this.sem.run(() => this.dispatch(chunk));
    }
  }

  private async dispatch(chunk: Pending[]): Promise<void> {
    if (chunk.length === 1) {
      const p = chunk[0] as Pending;
      try {
        p.resolve(await this.single(p.cred.accessToken.reveal(), p.req));
      } catch (err) {
        this.settleFailure(p, err);
      }
      return;
    }
    let answer: HttpAnswer;
    try {
      answer = await this.post(chunk);
    } catch (err) {
      this.o.observer?.failure('batch', err instanceof GraphError ? err.reason : 'timeout');
      // Fifty legitimate sub-answers can add up past the cap that one answer must respect: each
      // goes again on its own, under the same cap, so only a sub-request that is itself too large fails.
      if (err instanceof GraphError && err.reason === 'too_large') {
        for (const p of chunk) this.enqueue({ ...p, solo: true });
        return;
      }
      for (const p of chunk) this.settleFailure(p, err, false, true);
      return;
    }
    let elements: unknown;
    try {
      elements = JSON.parse(answer.text);
    } catch {
      elements = undefined;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    if (!ok || !Array.isArray(elements) || elements.length !== chunk.length) {
      const err = !ok
        ? classify('batch', answer.status, safeParse(answer.text), this.regain(answer.headers))
        : parseError('batch', answer.status, 'batch answer is not an array of the request size');
      this.o.observer?.failure('batch', err.reason);
      for (const p of chunk) this.settleFailure(p, err, false, true);
      return;
    }
    for (const [i, el] of elements.entries()) this.settleElement(chunk[i] as Pending, el as BatchElement | null);
  }

  private settleElement(p: Pending, el: BatchElement | null): void {
    const r = this.element(p.req.endpoint, el);
    if (r.ok) p.resolve(r.body);
    else this.settleFailure(p, r.err);
  }

  /** One batch answer element → its parsed body, or the GraphError it stands for. */
  private element(
    endpoint: string,
    el: BatchElement | null,
  ): { ok: true; body: unknown } | { ok: false; err: GraphError } {
    // Meta returns null for a sub-request that timed out inside the batch.
    if (el === null || typeof el !== 'object') return { ok: false, err: timeoutError(endpoint, this.o.timeoutMs) };
    const headers: Record<string, string | undefined> = {};
    for (const h of el.headers ?? [])
      if (typeof h?.name === 'string' && typeof h.value === 'string') headers[h.name.toLowerCase()] = h.value;
    const usage = parseUsageHeaders(headers['x-business-use-case-usage'], headers['x-app-usage']);
    if (usage.readings.length) this.o.observer?.usage(usage.readings);
    const code = typeof el.code === 'number' ? el.code : 0;
    const body = typeof el.body === 'string' ? safeParse(el.body) : undefined;
    if (code === 200 && isObject(body)) {
      const tooMany = this.tooManyItems(endpoint, body);
      return tooMany ? { ok: false, err: tooMany } : { ok: true, body };
    }
    if (code === 200 || (code >= 500 && body === undefined)) {
      return {
        ok: false,
        err: code >= 500 ? classify(endpoint, code, undefined) : parseError(endpoint, code, NOT_AN_OBJECT),
      };
    }
    return { ok: false, err: classify(endpoint, code, body, this.regainFrom(usage.regainMs)) };
  }

  /** Retries retryable failures by re-queueing (so retries batch too); otherwise rejects. */
  private settleFailure(p: Pending, err: unknown, count = true, solo = false): void {
    const ge = err instanceof GraphError ? err : parseError(p.req.endpoint, 0, String(err));
    if (count) this.o.observer?.failure(p.req.endpoint, ge.reason);
    if (ge.retryable && p.attempt < this.o.maxRetries) {
      const delay = backoffDelay(p.attempt, this.o.retryBaseMs, this.o.retryMaxMs, this.random);
      setTimeout(() => this.enqueue({ ...p, attempt: p.attempt + 1, solo: p.solo || solo }), delay).unref();
      return;
    }
    p.reject(ge);
  }

  private async single(token: string, req: GraphRequest): Promise<unknown> {
    const qs = new URLSearchParams(req.params ?? {}).toString();
    const url = `${this.o.baseUrl}/${this.o.apiVersion}/${req.path}${qs ? `?${qs}` : ''}`;
    this.o.observer?.request(req.endpoint);
    const a = await send({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      timeoutMs: this.o.timeoutMs,
      maxBytes: this.o.maxResponseBytes,
      dispatcher: this.o.dispatcher,
      endpoint: req.endpoint,
    });
    const usage = parseUsageHeaders(a.headers['x-business-use-case-usage'], a.headers['x-app-usage']);
    if (usage.readings.length) this.o.observer?.usage(usage.readings);
    const body = safeParse(a.text);
    if (a.status >= 200 && a.status < 300) {
      if (!isObject(body)) throw parseError(req.endpoint, a.status, NOT_AN_OBJECT);
      const tooMany = this.tooManyItems(req.endpoint, body);
      if (tooMany) throw tooMany;
      return body;
    }
    throw classify(req.endpoint, a.status, body, this.regainFrom(usage.regainMs, a.headers['retry-after']));
  }

  /** getDirect's exchange: a batch of one with the caller's token, its element read like any other. */
  private async singleInBatch(token: string, req: GraphRequest): Promise<unknown> {
    this.o.observer?.request(req.endpoint);
    const a = await this.postBatch(token, [req], req.endpoint);
    let elements: unknown;
    try {
      elements = JSON.parse(a.text);
    } catch {
      elements = undefined;
    }
    if (a.status < 200 || a.status >= 300)
      throw classify(req.endpoint, a.status, safeParse(a.text), this.regain(a.headers));
    if (!Array.isArray(elements) || elements.length !== 1)
      throw parseError(req.endpoint, a.status, 'batch answer is not an array of the request size');
    const r = this.element(req.endpoint, elements[0] as BatchElement | null);
    if (r.ok) return r.body;
    throw r.err;
  }

  private async post(chunk: Pending[]): Promise<HttpAnswer> {
    this.o.observer?.request('batch');
    return this.postBatch(
      (chunk[0] as Pending).cred.accessToken.reveal(),
      chunk.map((p) => p.req),
      'batch',
    );
  }

  /** POSTs GETs as one Graph batch: paths and parameters go in the form body, the token in a header. */
  private async postBatch(token: string, reqs: readonly GraphRequest[], endpoint: string): Promise<HttpAnswer> {
    const batch = reqs.map((r) => {
      const qs = new URLSearchParams(r.params ?? {}).toString();
      return { method: 'GET', relative_url: `${r.path}${qs ? `?${qs}` : ''}` };
    });
    const body = new URLSearchParams({ batch: JSON.stringify(batch), include_headers: 'true' }).toString();
    const a = await send({
      method: 'POST',
      url: `${this.o.baseUrl}/${this.o.apiVersion}/`,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body,
      timeoutMs: this.o.timeoutMs,
      maxBytes: this.o.maxResponseBytes,
      dispatcher: this.o.dispatcher,
      endpoint,
    });
    const usage = parseUsageHeaders(a.headers['x-business-use-case-usage'], a.headers['x-app-usage']);
    if (usage.readings.length) this.o.observer?.usage(usage.readings);
    return a;
  }

  /** A page beyond graph.max_page_items: an upstream fault (Meta pages at most `limit` items). */
  private tooManyItems(endpoint: string, body: unknown): GraphError | undefined {
    const n = oversizedPage(body, this.o.maxPageItems);
    return n === undefined
      ? undefined
      : tooLargeError(endpoint, `a page of ${n} items, more than ${this.o.maxPageItems} (graph.max_page_items)`);
  }

  private regain(headers: Record<string, string | undefined>): number {
    const u = parseUsageHeaders(headers['x-business-use-case-usage'], headers['x-app-usage']);
    return this.regainFrom(u.regainMs, headers['retry-after']);
  }

  /** Meta's advertised regain time, else Retry-After, else the configured default pause. */
  private regainFrom(regainMs: number, retryAfter?: string): number {
    if (regainMs > 0) return regainMs;
    const ra = retryAfter !== undefined ? Number(retryAfter) : NaN;
    if (Number.isFinite(ra) && ra > 0) return ra * 1000;
    return this.o.throttlePauseMs;
  }
}

/**
 * Every Graph answer is a JSON object (a node, or an edge's {data, paging}). `[]` or `"…"` from a
 * broken proxy was taken as an answer, read as "no data" by the parsers, and a listing emptied by
 * it replaced the last good snapshot (found by test/fuzz/graph.test.ts).
 */
const NOT_AN_OBJECT = 'body is not a JSON object';
const isObject = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);

function safeParse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
