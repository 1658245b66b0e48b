// Unknown is not zero: without a webhook feed (no app secret to check Meta's signature) nobody
// knows how many customers were messaged, so the 24 h usage is absent on /metrics, the page says
// so, and whatsapp_webhooks_configured tells the two cases apart. With a feed, a portfolio with no
// traffic yet is a real 0.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { family, harness, sample, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Page {
  items: Array<{ business_id: string; usage_24h: number | null; usage_ratio: number | null }>;
}
const page = async (x: Harness) => (await (await request(`${x.exp.url}/api/v1/businesses`)).body.json()) as Page;

describe('24 h usage without a webhook feed', () => {
  it('is absent on /metrics and unknown on the page; with a feed it is a real 0', async () => {
    h = await harness();
    let t = await h.scrape();
    expect(sample(t, 'whatsapp_webhooks_configured')).toBe(0);
    expect(family(t, 'whatsapp_unique_recipients_24h')).toEqual([]);
    // Known portfolios and a known limit: only the usage is missing.
    expect(family(t, 'whatsapp_messaging_limit').length).toBeGreaterThan(0);
    let p = await page(h);
    expect(p.items.length).toBeGreaterThan(0);
    for (const b of p.items) expect(b).toMatchObject({ usage_24h: null, usage_ratio: null });
    const html = await (await request(`${h.exp.url}/`)).body.text();
    expect(html).toContain('24 h usage unknown');
    expect(html).not.toMatch(/\(0%\)/);
    await h.close();

    h = await harness({ config: { webhooks: { app_secret: 'a-test-app-secret-0123456789' } } });
    t = await h.scrape();
    expect(sample(t, 'whatsapp_webhooks_configured')).toBe(1);
    const usage = family(t, 'whatsapp_unique_recipients_24h');
    expect(usage.length).toBeGreaterThan(0);
    for (const l of usage) expect(l.endsWith(' 0')).toBe(true);
    p = await page(h);
    for (const b of p.items) expect(b.usage_24h).toBe(0);
  });
});
