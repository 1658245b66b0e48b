import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { readonly ok: true; readonly raw: Buffer }
  | { readonly ok: false; readonly reason: 'too_large' | 'aborted' };

/** Past this many discarded bytes an oversized upload is cut off instead of drained. */
const DRAIN_LIMIT = 16 * 1024 * 1024;

/**
 * Reads the raw request body (the signature covers exact bytes, so no parser may touch it first)
 * up to `limit` bytes. An oversized body is drained and discarded so the client reads a clean
 * 413 instead of a reset connection; one far beyond any sane size is cut off.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let settled = false;
    const done = (r: BodyResult) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (tooLarge) {
        chunks.length = 0;
        if (size > DRAIN_LIMIT) {
          done({ ok: false, reason: 'too_large' });
          req.destroy();
        }
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () =>
      done(tooLarge ? { ok: false, reason: 'too_large' } : { ok: true, raw: Buffer.concat(chunks, size) }),
    );
    req.once('aborted', () => done({ ok: false, reason: 'aborted' }));
    req.once('error', () => done({ ok: false, reason: 'aborted' }));
    req.once('close', () => done(tooLarge ? { ok: false, reason: 'too_large' } : { ok: false, reason: 'aborted' }));
  });
}
