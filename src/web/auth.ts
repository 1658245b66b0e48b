import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { WebAuth } from '../config/config.js';

/** Constant-time comparison of two strings (hashing first equalises lengths). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Optional basic or bearer auth for /metrics (and the overview), as Prometheus' scrape config supports. */
export function requireAuth(auth: () => WebAuth) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const a = auth();
    if (a.kind === 'none') return next();
    const header = req.headers.authorization ?? '';
    if (a.kind === 'bearer') {
      if (header.startsWith('Bearer ') && safeEqual(header.slice(7), a.token.reveal())) return next();
      res.setHeader('WWW-Authenticate', 'Bearer');
    } else {
      if (header.startsWith('Basic ')) {
        const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
        const i = decoded.indexOf(':');
        const ok =
          i >= 0 && safeEqual(decoded.slice(0, i), a.username) && safeEqual(decoded.slice(i + 1), a.password.reveal());
        if (ok) return next();
      }
      res.setHeader('WWW-Authenticate', 'Basic realm="whatsapp-business-exporter"');
    }
    res.status(401).type('text/plain').send('Unauthorized\n');
  };
}
