// The overview's pages over real HTTP against the whole exporter (sandbox upstream): every page
// and API path is behind the /metrics auth, carries the CSP and no-store, is gzip-compressed when
// asked; unknown ids are 404 and bad queries 400 (never 500); upstream names are text on every
// page; the search finds numbers, WABAs and portfolios by id, digits or name; a number's page
// shows the quality changes the exporter saw; the frequency-cap section counts 131049 rejections.
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { API_PATHS } from '../../src/web/api/index.js';
import { OVERVIEW_PATHS } from '../../src/web/overview/index.js';
import { VIEW_TTL_MS } from '../../src/web/overview/source.js';
import { sign } from '../../src/webhooks/verify.js';
import { harness, type Harness } from '../helpers/harness.js';
import { statusWebhook } from '../helpers/webhook-bodies.js';
import { XSS } from './fixtures.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TOKEN = 'pages-test-token-0123456789';
const SECRET = 'pages-test-app-secret-0123456789';

const get = async (x: Harness, path: string, headers: Record<string, string> = {}) => {
  const res = await request(`${x.exp.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
  const buf = Buffer.from(await res.body.arrayBuffer());
  const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(buf).toString() : buf.toString();
  return { status: res.statusCode, headers: res.headers, text };
};

/** Every page path with its parameters filled in from the snapshot (a new path cannot be missed). */
function concretePaths(x: Harness): string[] {
  const phone = x.sb.state.phoneIds()[0] as string;
  const waba = x.sb.state.wabaIds()[0] as string;
  const business = x.sb.state.businessIds()[0] as string;
  const account = x.exp.config().billing.accounts[0]?.name ?? 'none';
  const fill: Record<string, string> = {
    '/businesses/:id': `/businesses/${business}`,
    '/wabas/:id': `/wabas/${waba}`,
    '/phone-numbers/:id': `/phone-numbers/${phone}`,
    '/accounts/:name': `/accounts/${encodeURIComponent(account)}`,
  };
  return [...OVERVIEW_PATHS, ...API_PATHS].map((p) => fill[p] ?? p);
}

const start = (config: Record<string, unknown> = {}) =>
  harness({
    sandbox: { phoneNumbers: 6, wabas: 3, businesses: 2 },
    config: {
      web: { bearer_token: TOKEN },
      webhooks: { app_secret: SECRET, marketing_frequency_cap: { messages: 2, window: '7d' } },
      billing: {
        meta_pricing: { enabled: false },
        accounts: [
          {
            name: 'wallet.one',
            provider: 'http_json',
            url: 'SANDBOX/wallet/v1/balance',
            balance_path: 'balance',
            currency_path: 'currency',
            thresholds: { low: 100 },
            business_ids: ['500000000000001'],
          },
        ],
      },
      ...config,
    },
    sandboxUrlPlaceholder: 'SANDBOX',
  });

describe('the overview pages over HTTP', () => {
  it('every page and API path: 401 without the token, 200 with it; CSP, no-store, gzip when asked', async () => {
    h = await start();
    const paths = concretePaths(h);
    expect(paths.length).toBe(OVERVIEW_PATHS.length + API_PATHS.length);
    for (const path of paths) {
      const anon = await request(`${h.exp.url}${path}`);
      await anon.body.text();
      expect(anon.statusCode, path).toBe(401);
      const r = await get(h, path, { 'accept-encoding': 'gzip' });
      expect(r.status, `${path}: ${r.text.slice(0, 200)}`).toBe(200);
      expect(r.headers['cache-control'], path).toBe('no-store');
      expect(r.headers['x-content-type-options'], path).toBe('nosniff');
      // compression's default threshold: bodies under 1 KB go as they are.
      expect(r.headers['content-encoding'], path).toBe(r.text.length >= 1024 ? 'gzip' : undefined);
      if (path.startsWith('/api/')) continue;
      expect(String(r.headers['content-type']), path).toMatch(/^text\/html/);
      expect(String(r.headers['content-security-policy']), path).toContain("default-src 'none'");
      expect(String(r.headers['content-security-policy']), path).toContain("form-action 'self'");
      expect(r.text, path).not.toContain('<script');
    }
  });

  it('unknown ids are 404 pages, bad queries 400 pages with the message, never 500', async () => {
    h = await start();
    for (const path of ['/businesses/999', '/wabas/999', '/phone-numbers/999', '/accounts/nobody']) {
      const r = await get(h, path);
      expect(r.status, path).toBe(404);
      expect(r.text, path).toContain("in the exporter's current snapshot");
      expect(String(r.headers['content-security-policy'])).toContain("default-src 'none'");
    }
    // A malformed escape in a path is the router's URIError: 400 in one line, never a stack trace.
    const malformed = await get(h, '/businesses/%E0%A4%A');
    expect(malformed.status).toBe(400);
    expect(malformed.text).toBe('Bad Request\n');
    const bad: Array<[string, string]> = [
      ['/?nope=1', 'unknown parameter &quot;nope&quot;'],
      ['/problems?kind=weather', 'kind must be one of'],
      ['/problems?cursor=zzz', 'cursor is not one this API returned'],
      ['/phone-numbers?quality=PURPLE', 'quality must be one of'],
      ['/businesses?limit=0', 'limit must be from 1 to 500'],
      ['/accounts?q=x', 'unknown parameter &quot;q&quot;'],
    ];
    for (const [path, message] of bad) {
      const r = await get(h, path);
      expect(r.status, path).toBe(400);
      expect(r.text, path).toContain(message);
    }
    // The search box submitted empty is the summary.
    for (const path of ['/?q=', '/?q=%20%20']) {
      const r = await get(h, path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).toContain('id="summary"');
    }
    // A trailing slash would put every relative link one level off: not a page.
    for (const path of ['/problems/', `/businesses/${h.sb.state.businessIds()[0]}/`, '/api/v1/problems/']) {
      const r = await get(h, path);
      expect(r.status, path).toBe(404);
      expect(r.text, path).not.toContain('id="summary"');
    }
    // Filters in any case select the same list, and the page shows which (title and active chip).
    const upper = await get(h, '/problems?kind=PHONE&severity=WARNING');
    expect(upper.status).toBe(200);
    expect(upper.text).toContain('<title>Problems: Phone numbers');
    expect(upper.text).toMatch(/class="chip on" href="[^"]*">warning/);
    // A cursor of another list is refused, not taken for a position.
    const other = JSON.parse((await get(h, '/api/v1/templates?limit=1')).text) as { next_cursor: string };
    const wrong = await get(h, `/problems?cursor=${other.next_cursor}`);
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('cursor belongs to the templates list, not to problems');
  });

  it('upstream names are text on every page: the summary, lists, search, portfolio, WABA, number and account (account names are restricted by the config)', async () => {
    h = await start();
    const phone = h.sb.state.phoneIds()[0] as string;
    const entry = h.sb.state.phone(phone);
    if (!entry) throw new Error('no phone');
    h.sb.state.updatePhone(phone, { verified_name: XSS });
    h.sb.state.updateWaba(entry.wabaId, { name: XSS });
    await h.refresh();
    const business = (await (
      await request(`${h.exp.url}/api/v1/phone-numbers?q=${phone}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).body.json()) as { items: Array<{ business_id: string }> };
    const businessId = business.items[0]?.business_id as string;
    for (const path of [
      '/',
      '/phone-numbers',
      `/?q=${encodeURIComponent(phone)}`,
      `/businesses/${businessId}`,
      `/wabas/${entry.wabaId}`,
      `/phone-numbers/${phone}`,
      '/accounts/wallet.one',
      '/accounts',
    ]) {
      const r = await get(h, path);
      expect(r.status, path).toBe(200);
      expect(r.text, path).not.toContain('<script>window.__xss');
      expect(r.text, path).not.toContain('<img src=x');
    }
    expect((await get(h, `/phone-numbers/${phone}`)).text).toContain('&lt;script&gt;window.__xss=1&lt;/script&gt;');
  });

  it('search: display digits written any way, verified name, WABA id and name, portfolio id', async () => {
    h = await start();
    const phone = h.sb.state.phoneIds()[2] as string;
    const entry = h.sb.state.phone(phone);
    if (!entry) throw new Error('no phone');
    const digits = entry.wire.display_phone_number.replace(/\D/g, '');
    const waba = h.sb.state.getWaba(entry.wabaId);
    const queries: Array<[string, string]> = [
      [
        `+${digits.slice(0, 1)} (${digits.slice(1, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`,
        `data-phone="${phone}"`,
      ],
      [digits.slice(-6), `data-phone="${phone}"`],
      [entry.wire.verified_name.toUpperCase(), `data-phone="${phone}"`],
      [entry.wabaId, `href="wabas/${entry.wabaId}"`],
      [String(waba?.name).toLowerCase(), `href="wabas/${entry.wabaId}"`],
    ];
    for (const [q, expected] of queries) {
      const r = await get(h, `/?q=${encodeURIComponent(q)}`);
      expect(r.status, q).toBe(200);
      expect(r.text, q).toContain(expected);
      expect(r.text, q).toContain(`value="${q.replace(/"/g, '&quot;')}"`);
    }
    const businessId = h.sb.state.businessIds()[1] as string;
    expect((await get(h, `/?q=${businessId}`)).text).toContain(`data-business="${businessId}"`);
    const none = await get(h, '/?q=no-such-thing-here');
    expect(none.text).toContain('Nothing matches');
  });

  it("a number's page lists the quality changes the refreshes saw, newest first", async () => {
    h = await start();
    const phone = h.sb.state.phoneIds()[1] as string;
    const before = (await get(h, `/phone-numbers/${phone}`)).text;
    expect(before).toContain('No change of quality or status seen');
    h.sb.state.updatePhone(phone, { quality_rating: 'RED' });
    await h.refresh();
    h.sb.state.updatePhone(phone, { quality_rating: 'GREEN', status: 'FLAGGED' });
    await h.refresh();
    const r = await get(h, `/phone-numbers/${phone}`);
    const rows = [...r.text.matchAll(/<tr><td data-label="When">.*?<\/tr>/g)].map((m) =>
      m[0]
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    // Newest first: the second refresh changed quality back and status; the first made it RED.
    expect(rows).toHaveLength(3);
    const newest = rows.slice(0, 2).map((x) => x.replace(/^\S+ \S+ UTC /, ''));
    expect(newest.sort()).toEqual(['quality RED · low GREEN · high', 'status CONNECTED FLAGGED']);
    expect(rows[2]).toMatch(/quality \S+ · \S+ RED · low$/);
  });

  it('the frequency-cap section: the cap, and 131049 rejections of the last 24 h per portfolio', async () => {
    h = await start();
    const phone = h.sb.state.phoneIds()[0] as string;
    const wabaId = h.sb.state.phone(phone)?.wabaId as string;
    const businessId = h.sb.state.businessIds()[0] as string;
    const section = async () => {
      const t = (await get(h as Harness, `/businesses/${businessId}`)).text;
      return t.slice(t.indexOf('id="frequency-cap"'), t.indexOf('</section>', t.indexOf('id="frequency-cap"')));
    };
    expect(await section()).toContain('2 marketing messages per customer per 7 days');
    expect(await section()).toMatch(/data-value="rejections">0 in the last 24 h/);
    for (let i = 0; i < 3; i++) await postRejection(h, wabaId, phone, i);
    // Webhooks do not change the snapshot: the pages' view model is rebuilt after at most VIEW_TTL_MS.
    await new Promise((r) => setTimeout(r, VIEW_TTL_MS + 50));
    const api = (await (
      await request(`${h.exp.url}/api/v1/businesses?q=${businessId}`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).body.json()) as { items: Array<{ frequency_cap: { rejections_24h: number } }> };
    expect(api.items[0]?.frequency_cap.rejections_24h).toBe(3);
    expect(await section()).toMatch(/data-value="rejections">3 in the last 24 h/);
  });
});

/** One signed `failed` status with Meta's per-user marketing limit error (131049). */
async function postRejection(x: Harness, wabaId: string, phoneId: string, n: number): Promise<void> {
  const errors = [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }];
  const now = Math.floor(Date.now() / 1000);
  const body = statusWebhook(wabaId, phoneId, `wamid.pages-${n}`, `1415555${1000 + n}`, now, 'failed', errors);
  const res = await request(`${x.exp.url}${x.exp.config().webhooks.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
    body,
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`webhook POST answered ${res.statusCode}`);
}
