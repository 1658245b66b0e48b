import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchText } from '../../src/billing/http.js';
import { BillingError } from '../../src/billing/errors.js';
import { GraphError } from '../../src/sources/graph/errors.js';
import { send } from '../../src/sources/graph/http.js';
import { ACCOUNTS } from '../../src/sources/keys.js';
import { FakeUpstream } from '../helpers/fake-upstream.js';
import { harness, sample, type Harness } from '../helpers/harness.js';
import { dataSeries, up } from './helpers.js';

/**
 * Issue #19, D1: nothing limited the size or item count of an upstream answer, so one listing
 * that ignored `phone_numbers.limit(100)` could exhaust the heap. Every upstream read is bounded
 * (bytes, read incrementally; items per page); a violation is `reason="too_large"`, counted,
 * logged, and the last good data stays. The heap-capped process is test/fault/oversized-memory.test.ts.
 */
let h: Harness | undefined;
let upstream: FakeUpstream | undefined;
let endless: Awaited<ReturnType<typeof endlessServer>> | undefined;
afterEach(async () => {
  await h?.close();
  await upstream?.close();
  await endless?.close();
  h = upstream = endless = undefined;
});

const failures = (text: string, family: string, labels: string) =>
  sample(text, `whatsapp_exporter_${family}_request_failures_total{${labels},reason="too_large"}`);

describe('bounded upstream answers', () => {
  it('a listing that ignores the page limit (more items than graph.max_page_items): too_large, counted, logged, last good data kept', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 600, wabas: 1, businesses: 1 },
      config: { graph: { max_page_items: 500 } },
    });
    const [biz] = h.sb.state.businessIds() as [string];
    const before = dataSeries(await h.scrape());
    expect(before.filter((l) => l.startsWith('whatsapp_phone_number_info'))).toHaveLength(600);
    h.sb.faults.add({ kind: 'ignore_limit', match: 'owned_whatsapp_business_accounts' });
    await h.refresh();
    const text = await h.scrape();
    expect(up(h, text, 'graph_accounts', biz)).toBe(0);
    expect(h.exp.store.get(ACCOUNTS, biz)?.error?.reason).toBe('too_large');
    expect(failures(text, 'graph_api', 'endpoint="owned_whatsapp_business_accounts"')).toBe(1);
    expect(dataSeries(text)).toEqual(before);
    expect(h.logs()).toContain('a page of 600 items, more than 500 (graph.max_page_items)');
    h.sb.faults.clear();
    await h.refresh();
    expect(up(h, await h.scrape(), 'graph_accounts', biz)).toBe(1);
  });

  it('an answer over graph.max_response_size: the batch goes again one by one, only the oversized sub-request fails', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 600, wabas: 1, businesses: 1 },
      // A normal page (one WABA, 100 numbers) is about 80 kB; everything in one page about 470 kB.
      config: { graph: { max_response_size: '200kb' } },
    });
    const [biz] = h.sb.state.businessIds() as [string];
    const before = dataSeries(await h.scrape());
    h.sb.faults.add({ kind: 'ignore_limit', match: 'owned_whatsapp_business_accounts' });
    await h.refresh();
    const text = await h.scrape();
    expect(up(h, text, 'graph_accounts', biz)).toBe(0);
    expect(h.exp.store.get(ACCOUNTS, biz)?.error?.reason).toBe('too_large');
    expect(failures(text, 'graph_api', 'endpoint="batch"')).toBeGreaterThanOrEqual(1);
    expect(failures(text, 'graph_api', 'endpoint="owned_whatsapp_business_accounts"')).toBe(1);
    // Its neighbours in the batch were answered on their own.
    expect(failures(text, 'graph_api', 'endpoint="client_whatsapp_business_accounts"')).toBe(0);
    expect(up(h, text, 'graph_limits', biz)).toBe(1);
    expect(dataSeries(text)).toEqual(before);
    expect(h.logs()).toContain('more than 200000 bytes (graph.max_response_size)');
  });

  it('an upstream that never stops sending: reading stops at the limit (too_large, not a timeout), the connection is closed', async () => {
    endless = await endlessServer();
    const err = await send({
      method: 'GET',
      url: `${endless.url}/v24.0/1/owned_whatsapp_business_accounts`,
      headers: {},
      timeoutMs: 30_000,
      maxBytes: 1_000_000,
      endpoint: 'owned_whatsapp_business_accounts',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect((err as GraphError).reason).toBe('too_large');
    // The client hung up: a reader that buffered the whole answer first would still be reading (and
    // end in a timeout). How much the server wrote depends on the kernel's socket buffers.
    await endless.closed;
    expect(endless.sent()).toBeGreaterThan(1_000_000);
  });

  it('billing: an answer over billing.max_response_size is too_large for the provider (streamed, or declared by Content-Length)', async () => {
    endless = await endlessServer();
    const seen: string[] = [];
    const http = {
      observer: { billingRequest: () => {}, billingFailure: (_p: string, r: string) => void seen.push(r) },
      maxResponseBytes: () => 100_000,
    };
    const err = await fetchText(
      'http_json',
      { url: `${endless.url}/balance`, headers: {}, timeoutMs: 30_000 },
      http,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BillingError);
    expect((err as BillingError).reason).toBe('too_large');
    expect(seen).toEqual(['too_large']);

    upstream = await new FakeUpstream().start();
    upstream.set('/balance', { body: { balance: 1, pad: 'x'.repeat(200_000) } });
    const declared = await fetchText(
      'http_json',
      { url: `${upstream.url}/balance`, headers: {}, timeoutMs: 5_000 },
      http,
    ).catch((e: unknown) => e);
    expect((declared as BillingError).reason).toBe('too_large');
  });

  it('billing through the exporter: the account is down with too_large, counted for its provider', async () => {
    upstream = await new FakeUpstream().start();
    upstream.set('/balance', { body: { balance: 12.5, currency: 'USD' } });
    h = await harness({
      config: {
        billing: {
          meta_pricing: { enabled: false },
          max_response_size: '1kb',
          accounts: [
            {
              name: 'wallet',
              provider: 'http_json',
              url: `${upstream.url}/balance`,
              balance_path: 'balance',
              currency_path: 'currency',
            },
          ],
        },
      },
    });
    let text = await h.scrape();
    expect(sample(text, 'whatsapp_credit_balance{account="wallet",currency="USD"}')).toBe(12.5);
    upstream.set('/balance', { body: { balance: 3, currency: 'USD', history: 'x'.repeat(5_000) } });
    await h.refresh();
    text = await h.scrape();
    expect(up(h, text, 'billing', 'wallet')).toBe(0);
    expect(failures(text, 'billing', 'provider="http_json"')).toBe(1);
    expect(sample(text, 'whatsapp_credit_balance{account="wallet",currency="USD"}')).toBe(12.5);
    expect(h.logs()).toContain('billing.max_response_size');
  });
});

/** An HTTP server whose answer never ends: 64 kB chunks for as long as the client reads. */
async function endlessServer() {
  let sent = 0;
  let closedResolve: () => void = () => {};
  const closed = new Promise<void>((r) => {
    closedResolve = r;
  });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const pump = () => {
      while (!res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    res.on('close', () => closedResolve());
    pump();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    closed,
    sent: () => sent,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
