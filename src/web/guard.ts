import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config/config.js';
import { requireAuth } from './auth.js';

/**
 * The only paths anyone may reach without the configured web auth: the liveness and readiness
 * probes (they say "Healthy"/"Ready" and nothing else; kubelets cannot send credentials) and the
 * webhook endpoint (Meta cannot send them either: every POST there is checked against the app
 * secret's HMAC instead).
 */
export const PUBLIC_PATHS: readonly string[] = ['/-/healthy', '/-/ready'];

/**
 * Deny by default: every other path, registered now or by a later layer, needs the auth that
 * /metrics needs (reload, targets, the pages and their JSON reveal the configuration or change
 * state). A list of protected paths was tried first and drifted: POST /-/reload was not on it.
 * The match is exact and case-sensitive, the way the webhook router matches its own path, so no
 * spelling of a protected route (a trailing slash, another case) can pass as a public one.
 */
export function authGuard(config: () => Config) {
  const auth = requireAuth(() => config().web.auth);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (PUBLIC_PATHS.includes(req.path) || isWebhookPath(config(), req.path)) return next();
    auth(req, res, next);
  };
}

function isWebhookPath(c: Config, path: string): boolean {
  return c.webhooks.enabled && path === c.webhooks.path;
}
