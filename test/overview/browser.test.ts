import { existsSync, mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { CHROMIUM, CHROMIUM_ARGS, overviewSite, type OverviewSite } from './helpers.js';
import { XSS } from './fixtures.js';
import { ACCOUNTS } from '../../src/sources/keys.js';

/**
 * Needs Debian's chromium (test/install-deps.sh installs it) and the playwright-core
 * devDependency. Missing either is a failure with a clear message, never a silent skip.
 */
const OUT = 'test-output';

describe('overview page in headless Chromium (sandbox exporter)', () => {
  it('has a browser to run in', () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: run sh test/install-deps.sh (Debian package chromium)`).toBe(
      true,
    );
  });
  const clock = new ManualClock(Date.UTC(2026, 10, 26, 10));
  let site: OverviewSite;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    site = await overviewSite({ clock, usage: new Map([['500000000000001', 7_312]]) });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Any console error (a CSP violation included) or uncaught error fails the suite at the end.
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const phoneId = (display: string) => {
    for (const e of site.exp.store.bySource(ACCOUNTS))
      for (const w of e.data?.wabas ?? []) for (const p of w.phones) if (p.displayPhoneNumber === display) return p.id;
    throw new Error(`no phone ${display}`);
  };
  const problemTexts = async () => page.locator('#problems li').allInnerTexts();
  const refresh = async () => {
    await site.exp.poller.runAll();
    await page.goto(`${site.url}/`);
  };

  it('renders the sandbox numbers, balance, limit usage and links; screenshots on a laptop and a phone', async () => {
    const res = await page.goto(`${site.url}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['cache-control']).toBe('no-store');
    expect(await page.title()).toContain('WhatsApp Business overview');
    const numbers = await page.locator('table.phones td[data-label="Number"]').allInnerTexts();
    expect(numbers).toEqual(['15550100001', '+1 555-010-0002', '+1 555-010-0003']);
    await expect(page.locator('[data-account="sandbox-wallet"] .balance').innerText()).resolves.toBe('180.00 USD');
    // The demo's Meta credit line: its headroom is the balance, the line beside it.
    const line = page.locator('[data-account="sandbox-credit-line"]');
    await expect(line.locator('.balance').innerText()).resolves.toBe('8,479.65 USD');
    await expect(line.locator('.credit-line').innerText()).resolves.toBe(
      'Meta credit line 130000000000001 · limit 10,000.00 USD · shared 3,500.00 USD · 2 client shares; the balance is what can still be spent',
    );
    expect(await page.locator('.limit').innerText()).toContain('7,312 of 10,000 used in the last 24 h (73%)');
    expect(await page.getByRole('link', { name: 'Add credits' }).getAttribute('href')).toBe(
      'https://example.com/billing/top-up',
    );
    expect(await page.getByRole('link', { name: 'Pay via link' }).getAttribute('href')).toBe(
      'https://example.com/pay/sandbox-wallet',
    );
    expect(await page.getByRole('link', { name: 'View rate card' }).getAttribute('href')).toBe(
      'https://example.com/billing/rate-card',
    );
    expect(await page.locator('table.rates tbody tr').count()).toBeGreaterThan(3);
    // Quality is text as well as colour.
    expect(
      await page.locator(`tr[data-phone="${phoneId('+1 555-010-0002')}"] td[data-label="Quality"]`).innerText(),
    ).toContain('YELLOW');

    // Eleven minutes later the statement has rows: spend rate and runway appear.
    clock.advance(11 * 60_000);
    await refresh();
    expect(await page.locator('[data-account="sandbox-wallet"] .runway').innerText()).toMatch(
      /about \d+ min · spending 8,640.00 USD per day/,
    );

    await page.screenshot({ path: `${OUT}/overview-desktop.png` });
    await page.screenshot({ path: `${OUT}/overview-desktop-full.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    // (Strings, not functions: the project's tsconfig has no DOM lib.) Nothing wider than the phone: tables scroll inside their cards, the page itself does not.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${OUT}/overview-phone.png` });
    await page.screenshot({ path: `${OUT}/overview-phone-full.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(problems).toEqual([]);
  });

  it('a RED number shows up as a problem at the top', async () => {
    const id = phoneId('+1 555-010-0002');
    site.exp.sandbox?.state.updatePhone(id, { quality_rating: 'RED' });
    await refresh();
    expect(await problemTexts()).toContainEqual(
      expect.stringMatching(/^Critical\s+Number \+1 555-010-0002 \(Acme Retail 1\) quality is RED$/),
    );
    expect(await page.locator(`tr[data-phone="${id}"] td[data-label="Quality"]`).innerText()).toBe('RED · low');
    expect(problems).toEqual([]);
  });

  it('a low balance shows up as a problem and on the gauge', async () => {
    site.exp.sandbox?.wallet.setBalance(40);
    await refresh();
    expect(await problemTexts()).toContainEqual(
      // The impact: the wallet pays for every sandbox portfolio, whose 3 numbers stop when it is empty.
      expect.stringMatching(
        /Balance of sandbox-wallet \(40\.00 USD\) is below the low threshold of 100 USD · 3 numbers$/,
      ),
    );
    const card = page.locator('[data-account="sandbox-wallet"]');
    expect(await card.locator('.balance').innerText()).toBe('40.00 USD');
    expect(await card.locator('.row .badge').innerText()).toBe('Low');
    expect(await card.locator('.bar').getAttribute('aria-label')).toBe(
      'Balance 40.00 USD; low 100 USD · critical 25 USD',
    );
    await page.screenshot({ path: `${OUT}/overview-problems-desktop.png` });
    expect(problems).toEqual([]);
  });

  it('a revoked Meta credit line is a critical problem, and its card says so', async () => {
    const state = site.exp.sandbox?.state;
    const line = state?.creditLineIds()[0] as string;
    state?.updateCreditLine(line, { is_access_revoked: true });
    await refresh();
    expect(await problemTexts()).toContainEqual(
      expect.stringMatching(
        /^Critical\s+Meta reports access to the credit line 130000000000001 of sandbox-credit-line as revoked: paid messages of the businesses it pays for fail until it is restored$/,
      ),
    );
    expect(await page.locator('[data-account="sandbox-credit-line"] .badge').allInnerTexts()).toContain(
      'Access revoked',
    );
    state?.updateCreditLine(line, { is_access_revoked: false });
    await refresh();
    expect((await problemTexts()).some((t) => t.includes('credit line'))).toBe(false);
    expect(problems).toEqual([]);
  });

  it('an injected <script> in a verified name is shown as text and never runs', async () => {
    const id = phoneId('+1 555-010-0003');
    site.exp.sandbox?.state.updatePhone(id, { verified_name: XSS });
    await site.exp.poller.runAll();
    const raw = await (await fetch(`${site.url}/`)).text();
    expect(raw).not.toContain('<script>window.__xss');
    expect(raw).not.toContain('<img');
    await page.goto(`${site.url}/`);
    expect(await page.locator(`tr[data-phone="${id}"] td[data-label="Verified name"]`).innerText()).toBe(XSS);
    expect(await page.evaluate<unknown>('window.__xss')).toBeUndefined();
    expect(await page.locator('script, img').count()).toBe(0);
    // The JSON API carries the name as data.
    const json = (await (await fetch(`${site.url}/api/v1/phone-numbers?q=${id}`)).json()) as {
      items: Array<{ phone_number_id: string; verified_name: string }>;
    };
    expect(json.items.find((p) => p.phone_number_id === id)?.verified_name).toBe(XSS);
    expect(problems).toEqual([]);
  });

  it('marks stale sources, then drops data past max staleness', async () => {
    await site.exp.poller.stop(); // nothing refreshes any more; only the clock moves
    clock.advance(50_000); // > 3 × 15 s for graph_accounts and billing, < their 75 s max staleness
    await page.goto(`${site.url}/`);
    const state = (source: string) => page.locator(`tr[data-source="${source}"] td`).nth(1).innerText();
    expect(await state('graph_accounts')).toBe('stale');
    expect(await state('billing')).toBe('stale');
    expect(await state('graph_token')).toBe('ok');
    expect(await page.locator('[data-waba] .b-stale').first().innerText()).toBe('stale');
    expect(await problemTexts()).toContainEqual(
      expect.stringMatching(/Data of graph_accounts \(500000000000001\) is stale/),
    );

    clock.advance(10 * 60_000);
    await page.goto(`${site.url}/`);
    expect(await state('graph_accounts')).toBe('dropped (too old)');
    expect(await page.locator('table.phones').count()).toBe(0);
    expect(await problemTexts()).toContainEqual(
      expect.stringMatching(
        /^Critical\s+Data of billing \(sandbox-wallet\) is older than its max staleness of 75 s and no longer shown/,
      ),
    );
    expect(problems).toEqual([]);
  });
});

describe('overview HTTP surface', () => {
  let site: OverviewSite;
  beforeAll(async () => {
    site = await overviewSite({ clock: new ManualClock(Date.UTC(2026, 10, 26, 10)) });
  });
  afterAll(async () => site?.close());

  it('GET / is HTML with no-store and a script-free CSP; GET /api/v1/overview is its summary as JSON, the accounts list has the balance; no upstream calls', async () => {
    await site.exp.poller.stop();
    const snapshot = JSON.stringify(site.exp.sandbox?.stats);
    const page = await fetch(`${site.url}/`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('usage unknown — enable webhooks');
    const api = await fetch(`${site.url}/api/v1/overview`);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
    expect(api.headers.get('cache-control')).toBe('no-store');
    const o = (await api.json()) as {
      generatedAt: string;
      summary: { numbers: { total: number }; accounts: { total: number; byLevel: Record<string, number> } };
      tokens: Array<{ neverExpires: boolean }>;
    };
    expect(o.generatedAt).toBe('2026-11-26T10:00:00.000Z');
    expect(o.summary.numbers.total).toBe(3);
    // The wallet and the demo's Meta credit line.
    expect(o.summary.accounts).toMatchObject({ total: 2, byLevel: { ok: 2 } });
    expect(o.tokens[0]?.neverExpires).toBe(true);
    const accounts = (await (await fetch(`${site.url}/api/v1/accounts`)).json()) as {
      items: Array<{ name: string; balance: { amount: number; currency: string }; credit_line: unknown }>;
    };
    const byName = new Map(accounts.items.map((i) => [i.name, i]));
    expect(byName.get('sandbox-wallet')?.balance).toEqual({ amount: 180, currency: 'USD' });
    expect(byName.get('sandbox-wallet')?.credit_line).toBeNull();
    expect(byName.get('sandbox-credit-line')).toMatchObject({
      balance: { amount: 8479.65, currency: 'USD' },
      credit_line: { id: '130000000000001', access_revoked: false, shares: 2, shares_cut: false },
    });
    // Serving the page and the API made no request to the (sandbox) upstream.
    expect(JSON.stringify(site.exp.sandbox?.stats)).toBe(snapshot);
  });
});
