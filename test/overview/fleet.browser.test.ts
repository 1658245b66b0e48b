// The pages at 3 and at 10,000 numbers in headless Chromium, against the whole exporter in sandbox
// mode (its own app: auth, compression, the routers as src/main.ts mounts them): the summary is
// on screen without scrolling, the page is small and gzip-compressed, a search for a number's
// digits written another way finds it, and a problem group's list pages through every item of
// its kind exactly once. Screenshots go to test-output/. Timing is measured by `npm run bench`,
// not here; the weight limits are the acceptance figures.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { ACCOUNTS } from '../../src/sources/keys.js';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers.js';

const OUT = 'test-output';
const VIEWPORT = { width: 1280, height: 900 };
/** Acceptance: / at most 300 KB of HTML, a search result page under 150 KB. */
const MAX_HOME_BYTES = 300 * 1024;
const MAX_SEARCH_BYTES = 150 * 1024;

describe.each([
  { numbers: 3, wabas: 2, businesses: 1 },
  { numbers: 10_000, wabas: 2_000, businesses: 200 },
])('the pages at $numbers numbers in Chromium', (size) => {
  let exp: RunningExporter;
  let browser: Browser;
  let page: Page;
  let dir: string;
  const errors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: `${OUT}/fleet-${size.numbers}-${name}.png` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wbe-fleet-'));
    const file = join(dir, 'config.yml');
    const hour = { interval: '1h' };
    writeFileSync(
      file,
      stringify({
        sandbox: { phone_numbers: size.numbers, wabas: size.wabas, businesses: size.businesses, scenario: 'static' },
        // Long intervals: the test reads one snapshot; the sandbox does not move under it.
        sources: { graph_accounts: hour, graph_limits: hour, graph_templates: hour, graph_token: hour },
        storage: { path: join(dir, 'data') },
      }),
    );
    exp = await startExporter({
      config: loadConfig({ file, env: {} }),
      logger: pino({ level: 'silent' }),
      listen: { host: '127.0.0.1', port: 0 },
      userSetIntervals: true,
      processMetrics: false,
      webhookStream: false,
    });
    await exp.poller.settle();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void errors.push(`pageerror: ${e.message}`));
    mkdirSync(OUT, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await exp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const phones = () => exp.store.bySource(ACCOUNTS).flatMap((e) => e.data?.wabas.flatMap((w) => w.phones) ?? []);

  it('opens with the summary on screen, small and gzip-compressed', async () => {
    const res = await page.goto(`${exp.url}/`);
    expect(res?.status()).toBe(200);
    // Chromium asks for gzip, deflate and br: the page comes compressed (brotli, the best it offers;
    // a client asking for gzip only gets gzip, test/overview/pages.test.ts), and decompressed it is
    // within the limit.
    expect(['br', 'gzip']).toContain(res?.headers()['content-encoding']);
    const bytes = (await res?.body())?.length ?? Number.POSITIVE_INFINITY;
    expect(bytes).toBeLessThanOrEqual(MAX_HOME_BYTES);
    const box = await page.locator('#summary').boundingBox();
    expect(box, 'the summary is rendered').not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(VIEWPORT.height);
    // The counts are the snapshot's: every number once, by quality.
    const total = phones().length;
    expect(total).toBe(size.numbers);
    expect(await page.locator('[data-summary="numbers"] strong').first().innerText()).toBe(
      `${total.toLocaleString('en-US')} phone number${total === 1 ? '' : 's'}`,
    );
    // Each quality's tile (a zero has none: the summary is short when there is little to say).
    for (const q of ['GREEN', 'YELLOW', 'RED']) {
      const n = phones().filter((p) => p.qualityRating === q).length;
      const tile = page.locator(`[data-count="quality-${q}"] .n`);
      if (n === 0) expect(await tile.count(), q).toBe(0);
      else expect(await tile.innerText(), q).toBe(n.toLocaleString('en-US'));
    }
    await shot('summary');
    await page.screenshot({ path: `${OUT}/fleet-${size.numbers}-summary-full.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  it("finds a number by its display digits written another way, and opens the number's page", async () => {
    const target = phones()[Math.floor(size.numbers / 2)];
    if (!target) throw new Error('no number in the snapshot');
    const digits = target.displayPhoneNumber.replace(/\D/g, '');
    // "+1 555-010-0042" searched as "(555) 010 0042": the digits are compared, not the text.
    const typed = `(${digits.slice(1, 4)}) ${digits.slice(4, 7)} ${digits.slice(7)}`;
    await page.goto(`${exp.url}/`);
    await page.fill('#q', typed);
    const [res] = await Promise.all([page.waitForNavigation(), page.click('form.search button')]);
    expect(res?.status()).toBe(200);
    expect((await res?.body())?.length ?? Number.POSITIVE_INFINITY).toBeLessThan(MAX_SEARCH_BYTES);
    const row = page.locator(`#found-numbers tr[data-phone="${target.id}"]`);
    expect(await row.count()).toBe(1);
    await shot('search');
    await row.locator('td[data-label="Number"] a').click();
    expect(page.url()).toBe(`${exp.url}/phone-numbers/${target.id}`);
    expect(await page.locator('.page-title').innerText()).toBe(target.displayPhoneNumber);
    expect(await page.locator('[data-value="quality"]').innerText()).toContain(target.qualityRating ?? 'UNKNOWN');
    await shot('phone');
    expect(errors).toEqual([]);
  });

  it('pages through every item of the largest problem group from its link, each once', async () => {
    await page.goto(`${exp.url}/`);
    const groups = page.locator('#problems .group');
    expect(await groups.count()).toBeGreaterThan(0);
    // The largest group (at 10,000 numbers it spans many pages).
    let best = { kind: '', count: -1 };
    for (const g of await groups.all()) {
      const kind = (await g.getAttribute('data-kind')) ?? '';
      const count = Number((await g.locator('h3 .sub').innerText()).split(' ')[0]?.replace(/,/g, ''));
      if (count > best.count) best = { kind, count };
    }
    await page.locator(`#problems .group[data-kind="${best.kind}"] a.all`).click();
    const seen: string[] = [];
    for (let pages = 0; pages < 1_000; pages++) {
      seen.push(
        ...(await page
          .locator('ul.problems li')
          .evaluateAll((ls) => ls.map((l) => l.getAttribute('data-problem') ?? ''))),
      );
      if (pages === 0) await shot('problems');
      const next = page.locator('a[rel="next"]');
      if ((await next.count()) === 0) break;
      await next.click();
    }
    expect(seen.length).toBe(best.count);
    expect(new Set(seen).size).toBe(best.count);
    expect(seen.every((id) => id.startsWith(`${best.kind}/`))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('each portfolio, WABA and account page opens from the summary', async () => {
    await page.goto(`${exp.url}/`);
    await page.locator('#accounts a[href^="businesses/"]').first().click();
    expect(page.url()).toMatch(/\/businesses\/\d+$/);
    expect(await page.locator('#frequency-cap').count()).toBe(1);
    await shot('business');
    await page.locator('table.wabas a').first().click();
    expect(page.url()).toMatch(/\/wabas\/\d+$/);
    expect(await page.locator('table.phones tbody tr').count()).toBeGreaterThan(0);
    await page.goto(`${exp.url}/`);
    // The wallet pays for every portfolio (the demo's Meta credit line, the other account, for clients).
    await page.locator('a[href="accounts/sandbox-wallet"]').first().click();
    expect(page.url()).toMatch(/\/accounts\/sandbox-wallet$/);
    expect(await page.locator('table.businesses tbody tr').count()).toBe(size.businesses);
    await shot('account');
    expect(errors).toEqual([]);
  });
});
