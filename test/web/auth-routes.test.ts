import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import type { Express } from 'express';
import { harness, type Harness } from '../helpers/harness.js';

/**
 * Every route the exporter registers, with what it must demand (#19, D2). The list is read from
 * the running app's router, so a route added without a row here fails the first test, and a row
 * says which auth the route gets: `web` = the configured basic/bearer auth, `public` = anyone
 * (probes only), `hmac` = Meta's signature (the webhook endpoint).
 */
const ROUTES: Record<string, 'web' | 'public' | 'hmac'> = {
  'GET /metrics': 'web',
  'GET /-/healthy': 'public',
  'GET /-/ready': 'public',
  'POST /-/reload': 'web',
  'GET /-/targets': 'web',
  'GET /': 'web',
  'GET /problems': 'web',
  'GET /phone-numbers': 'web',
  'GET /businesses': 'web',
  'GET /accounts': 'web',
  'GET /businesses/:id': 'web',
  'GET /wabas/:id': 'web',
  'GET /phone-numbers/:id': 'web',
  'GET /accounts/:name': 'web',
  'GET /api/v1/overview': 'web',
  'GET /api/v1/problems': 'web',
  'GET /api/v1/phone-numbers': 'web',
  'GET /api/v1/businesses': 'web',
  'GET /api/v1/wabas': 'web',
  'GET /api/v1/templates': 'web',
  'GET /api/v1/accounts': 'web',
};

const TOKEN = 'scrape-token-for-the-route-table';
const SECRET = 'app-secret-for-the-route-table';

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Method + path of every route in the app, nested routers included. */
function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const l of stack) {
      if (l.route) {
        const paths = Array.isArray(l.route.path) ? l.route.path : [l.route.path];
        for (const m of Object.keys(l.route.methods).filter((k) => k !== '_all'))
          for (const p of paths) out.push(`${m.toUpperCase()} ${p}`);
      } else if (l.handle?.stack) walk(l.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return [...new Set(out)];
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = (web: Record<string, unknown>) =>
  harness({ config: { web, webhooks: { app_secret: SECRET } }, sandbox: { phoneNumbers: 2, wabas: 1 } });

/** A concrete URL for a route pattern (ids from the snapshot, so pages answer 200, not 404). */
function concrete(x: Harness, path: string): string {
  if (path === '/businesses/:id') return `/businesses/${x.sb.state.businessIds()[0]}`;
  if (path === '/wabas/:id') return `/wabas/${x.sb.state.wabaIds()[0]}`;
  if (path === '/phone-numbers/:id') return `/phone-numbers/${x.sb.state.phoneIds()[0]}`;
  return path.replace(/:\w+/g, 'nobody');
}

async function call(x: Harness, method: string, path: string, headers: Record<string, string> = {}) {
  const res = await request(`${x.exp.url}${path}`, { method: method as 'GET' | 'POST', headers });
  const text = await res.body.text();
  return { status: res.statusCode, text, auth: res.headers['www-authenticate'] };
}

const app = (x: Harness) => x.exp.server.listeners('request')[0] as unknown as Express;

describe('web auth covers every route the app registers (#19, D2)', () => {
  it('the table lists every registered route, and every row is registered', async () => {
    h = await start({ bearer_token: TOKEN });
    const routes = registeredRoutes(app(h));
    const missing = routes.filter((r) => !(r in ROUTES));
    expect(missing, 'routes without a row in ROUTES (say which auth they need)').toEqual([]);
    expect(Object.keys(ROUTES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  for (const [kind, good, bad] of [
    ['bearer', { authorization: `Bearer ${TOKEN}` }, { authorization: 'Bearer wrong' }],
    [
      'basic',
      { authorization: `Basic ${Buffer.from(`ops:${TOKEN}`).toString('base64')}` },
      { authorization: `Basic ${Buffer.from('ops:wrong').toString('base64')}` },
    ],
  ] as const) {
    it(`${kind}: every web route is 401 without or with wrong credentials and not 401 with them`, async () => {
      h = await start(
        kind === 'bearer' ? { bearer_token: TOKEN } : { basic_auth: { username: 'ops', password: TOKEN } },
      );
      const x = h;
      for (const route of registeredRoutes(app(x))) {
        const [method, pattern] = route.split(' ') as [string, string];
        const path = concrete(x, pattern);
        const need = ROUTES[route];
        const anon = await call(x, method, path);
        const wrong = await call(x, method, path, bad);
        const ok = await call(x, method, path, good);
        if (need === 'web') {
          expect(anon.status, `${route} without credentials`).toBe(401);
          expect(anon.auth, route).toBeDefined();
          expect(wrong.status, `${route} with wrong credentials`).toBe(401);
          // Nothing of the route's answer leaks into the refusal.
          expect(anon.text, route).toBe('Unauthorized\n');
        } else expect(anon.status, `${route} is public`).toBeLessThan(400);
        expect(ok.status, `${route} with credentials: ${ok.text.slice(0, 120)}`).not.toBe(401);
        expect(ok.status, `${route} with credentials`).toBeLessThan(500);
      }
    });
  }

  it('POST /-/reload: without credentials nothing is reloaded and no config error text is shown', async () => {
    h = await start({ bearer_token: TOKEN });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(h.file, 'sources: { graph_accounts: { interval: "not-a-duration" } }\n');
    const anon = await call(h, 'POST', '/-/reload');
    expect(anon.status).toBe(401);
    expect(anon.text).not.toContain('not-a-duration');
    expect(h.logs()).not.toContain('config reload failed');
    const ok = await call(h, 'POST', '/-/reload', { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(500);
    expect(ok.text).toContain('invalid duration');
  });

  it('unknown paths, other spellings of protected paths and methods are refused too (deny by default)', async () => {
    h = await start({ bearer_token: TOKEN });
    for (const [method, path] of [
      ['GET', '/nope'],
      ['POST', '/-/RELOAD'],
      ['POST', '/-/reload/'],
      ['GET', '/METRICS'],
      ['GET', '/api/v1/overview/'],
      ['GET', '/-/healthy/../targets'],
      ['DELETE', '/-/targets'],
    ] as const)
      expect((await call(h, method, path)).status, `${method} ${path}`).toBe(401);
  });

  it('the webhook endpoint needs no web auth (Meta cannot send it) but its signature: 401 unsigned, 403 bad handshake', async () => {
    h = await start({ bearer_token: TOKEN });
    const path = h.exp.config().webhooks.path;
    const post = await request(`${h.exp.url}${path}`, { method: 'POST', body: '{}' });
    await post.body.text();
    expect(post.statusCode).toBe(401);
    expect(post.headers['www-authenticate']).toBeUndefined();
    expect((await call(h, 'GET', `${path}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`)).status).toBe(403);
  });

  it('without web auth configured every route answers as before', async () => {
    h = await start({});
    for (const path of ['/metrics', '/-/targets', '/', '/api/v1/overview'])
      expect((await call(h, 'GET', path)).status, path).toBe(200);
  });
});
