import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { harness, sample, TEST_TOKEN, type Harness } from '../helpers/harness.js';
import { up } from './helpers.js';

/**
 * Issue #19, D12 (parts): an outage longer than max_staleness (the harness's loops run hourly, so
 * 5 h) on a manual clock. Data series go at max_staleness, as before; what is known to be broken
 * must not go with them:
 * - the WABAs found by a portfolio listing stay targets, so their `source_up` reads 0 instead of
 *   vanishing (they vanished with the listing's data, and WhatsAppExporterSourceFailing with them);
 * - a token Meta last reported invalid stays `access_token_valid` 0 instead of vanishing (which
 *   resolved WhatsAppAccessTokenInvalid during an outage of debug_token).
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const HOUR = 3_600_000;

describe('an outage longer than max_staleness', () => {
  it('source_up of every known WABA stays 0 (not absent) while their data series are dropped; back to 1 after', async () => {
    const start = Date.UTC(2026, 10, 26, 10);
    const clock = new ManualClock(start);
    h = await harness({ clock, sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const [biz] = h.sb.state.businessIds() as [string];
    const wabas = h.sb.state.wabaIds();
    let text = await h.scrape();
    for (const w of wabas) expect(up(h, text, 'graph_templates', w)).toBe(1);
    h.sb.faults.add({ kind: 'http_5xx' });
    for (let hour = 1; hour <= 8; hour++) {
      clock.set(start + hour * HOUR);
      await h.refresh();
      text = await h.scrape();
      expect(up(h, text, 'graph_accounts', biz), `hour ${hour}`).toBe(0);
      for (const w of wabas) expect(up(h, text, 'graph_templates', w), `hour ${hour}, ${w}`).toBe(0);
    }
    // Past max_staleness (5 h): the data is gone, never frozen; the health of every target stays.
    expect(text).not.toContain('whatsapp_phone_number_info{');
    expect(text).not.toContain('whatsapp_message_template_status{');
    expect(sample(text, 'whatsapp_exporter_source_targets{source="graph_templates",state="failing"}')).toBe(
      wabas.length,
    );
    h.sb.faults.clear();
    clock.set(start + 9 * HOUR);
    await h.refresh();
    text = await h.scrape();
    for (const w of wabas) expect(up(h, text, 'graph_templates', w)).toBe(1);
    expect(text).toContain('whatsapp_phone_number_info{');
  });

  it('a WABA a successful listing no longer returns still loses its loop and series', async () => {
    const start = Date.UTC(2026, 10, 26, 10);
    const clock = new ManualClock(start);
    h = await harness({ clock, sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const [, gone] = h.sb.state.wabaIds() as [string, string];
    h.sb.state.removeWaba(gone);
    clock.set(start + 6 * HOUR);
    await h.refresh();
    const text = await h.scrape();
    expect(up(h, text, 'graph_templates', gone)).toBeUndefined();
    expect(h.exp.poller.targets().some((t) => t.target === gone)).toBe(false);
  });

  it('access_token_valid: a token reported invalid stays 0 through a long debug_token outage; a valid one is dropped, not turned into 0', async () => {
    const start = Date.UTC(2026, 10, 26, 10);
    const clock = new ManualClock(start);
    // With an app token, as BSPs configure it: debug_token is then asked with the app's token and
    // reached even while the user token is invalid (without one, the batch carrying debug_token is
    // itself refused with 190, which is the finding "invalid", not an outage).
    h = await harness({
      clock,
      sandbox: { phoneNumbers: 2, wabas: 1, businesses: 1 },
      config: { credentials: [{ name: 'default', access_token: TEST_TOKEN, app_token: 'sandbox-app|app-secret' }] },
    });
    const valid = 'whatsapp_access_token_valid{credential="default"}';
    expect(sample(await h.scrape(), valid)).toBe(1);

    // Valid, then debug_token fails for 8 h: unknown, so absent (a 0 would be a made-up failure).
    h.sb.faults.add({ kind: 'http_5xx', match: 'debug_token' });
    clock.set(start + 8 * HOUR);
    await h.refresh();
    let text = await h.scrape();
    expect(up(h, text, 'graph_token', 'default')).toBe(0);
    expect(sample(text, valid)).toBeUndefined();

    // Meta says invalid, then debug_token fails for 8 h: stays 0 the whole time.
    h.sb.faults.clear();
    h.sb.state.setToken(TEST_TOKEN, { valid: false });
    clock.set(start + 9 * HOUR);
    await h.refresh();
    expect(sample(await h.scrape(), valid)).toBe(0);
    h.sb.faults.add({ kind: 'http_5xx', match: 'debug_token' });
    for (let hour = 10; hour <= 17; hour++) {
      clock.set(start + hour * HOUR);
      await h.refresh();
      text = await h.scrape();
      expect(up(h, text, 'graph_token', 'default'), `hour ${hour}`).toBe(0);
      expect(sample(text, valid), `hour ${hour}`).toBe(0);
    }
  });
});
