import { afterEach, describe, expect, it } from 'vitest';
import { BillingError } from '../../src/billing/errors.js';
import { fetchText } from '../../src/billing/http.js';
import { brokenUpstream, type Breakage, type BrokenUpstream } from '../helpers/broken-upstream.js';
import { harness, sample, type Harness } from '../helpers/harness.js';

/**
 * A refused or reset connection is `reason="connect"`, not `timeout`: they need different fixes
 * (a wrong URL, proxy or firewall vs. a slow provider). Real sockets on 127.0.0.1, no mocks.
 */
let up: BrokenUpstream | undefined;
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await up?.close();
  h = up = undefined;
});

describe('billing HTTP failures below HTTP', () => {
  it.each<[Breakage, string]>([
    ['refused', 'connect'],
    ['closed', 'connect'],
    ['reset', 'connect'],
    ['silent', 'timeout'],
  ])('%s connection → reason %s, counted once, nothing leaked', async (kind, reason) => {
    up = await brokenUpstream(kind);
    const failures: string[] = [];
    const err = await fetchText(
      'http_json',
      { url: `${up.url}/balance?key=secret-in-url`, headers: {}, timeoutMs: 300 },
      { observer: { billingRequest: () => {}, billingFailure: (_p, r) => void failures.push(r) } },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BillingError);
    expect((err as BillingError).reason).toBe(reason);
    expect((err as BillingError).message).not.toContain('secret-in-url');
    expect(failures).toEqual([reason]);
  });

  it('the exporter counts a refused balance endpoint as connect, and keeps timeout at 0', async () => {
    up = await brokenUpstream('refused');
    h = await harness({
      config: {
        billing: {
          accounts: [
            {
              name: 'main',
              provider: 'http_json',
              url: `${up.url}/balance`,
              balance_path: 'balance',
              currency: 'USD',
              timeout: '300ms',
              interval: '1h',
              thresholds: { low: 100 },
            },
          ],
        },
      },
    });
    await h.refresh();
    const text = await h.scrape();
    const failures = (r: string) =>
      sample(text, `whatsapp_exporter_billing_request_failures_total{provider="http_json",reason="${r}"}`);
    expect(failures('connect')).toBeGreaterThanOrEqual(1);
    expect(failures('timeout')).toBe(0);
    expect(sample(text, 'whatsapp_exporter_source_up{source="billing",target="main"}')).toBe(0);
  });
});
