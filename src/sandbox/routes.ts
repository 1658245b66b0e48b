/**
 * Express adapter for the Graph part: turns an HTTP request into a GraphRequest (or a batch),
 * and a GraphResult back into bytes. Everything Meta-specific lives behind handleGraph.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { handleBatch } from './batch.js';
import { errors, envelope } from './errors.js';
import { faultTarget as toFaultTarget } from './faults.js';
import { handleGraph, type GraphResult, type SandboxContext } from './graph.js';

const VERSION = /^v\d+\.\d+$/;

export function graphRouter(ctx: SandboxContext): express.Router {
  const router = express.Router();
  // Batch posts arrive form-encoded (Meta's documented way) or as JSON.
  router.use(express.urlencoded({ extended: false, limit: '2mb' }), express.json({ limit: '2mb' }));
  router.use(async (req: Request, res: Response) => {
    const url = new URL(req.url, 'http://sandbox.invalid');
    const segs = url.pathname.split('/').filter((s) => s !== '');
    const version = segs[0] !== undefined && VERSION.test(segs[0]) ? segs.shift() : undefined;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = bearer(req) ?? url.searchParams.get('access_token') ?? stringOr(body.access_token);
    const baseUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
    const faultTarget = toFaultTarget(url.pathname + url.search);
    const result =
      req.method === 'POST' && segs.length === 0
        ? await handleBatch(ctx, {
            batch: body.batch ?? url.searchParams.get('batch') ?? undefined,
            includeHeaders:
              String(body.include_headers ?? url.searchParams.get('include_headers') ?? 'true') !== 'false',
            token,
            faultTarget,
            baseUrl,
          })
        : await handleGraph(ctx, {
            method: req.method,
            path: segs.map(decodeURIComponent).join('/'),
            version,
            query: url.searchParams,
            token,
            faultTarget,
            inBatch: false,
            baseUrl,
          });
    send(res, result);
  });
  // Malformed bodies (bad JSON) get Meta's envelope, not Express's HTML page.
  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status;
    if (status === 400 || status === 413) {
      res
        .writeHead(400, { 'content-type': 'application/json; charset=UTF-8' })
        .end(envelope(errors.invalidParam('Invalid request body')));
      return;
    }
    ctx.logger?.error({ err }, 'sandbox: internal error');
    res.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' }).end(envelope(errors.transient(1)));
  });
  return router;
}

function send(res: Response, result: GraphResult): void {
  // A timeout never answers: the socket stays open until the client gives up, or until
  // close() tears the server's connections down.
  if (result.kind === 'timeout') return;
  res.writeHead(result.status, result.headers).end(result.body);
}

function bearer(req: Request): string | undefined {
  const h = req.get('authorization');
  const m = h ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(h.trim()) : null;
  return m?.[1];
}

function stringOr(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
