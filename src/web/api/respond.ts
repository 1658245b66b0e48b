import type express from 'express';
import { ApiError } from './paging.js';

/**
 * A GET handler of the JSON API: live data (no-store), JSON, and a client error answered 400 with
 * its message. Anything else is a bug and goes to express's error handler.
 */
export function apiHandler(answer: (query: Record<string, unknown>) => unknown): express.RequestHandler {
  return (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    try {
      res.json(answer(req.query as Record<string, unknown>));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      res.status(err.status).json({ error: err.message });
    }
  };
}
