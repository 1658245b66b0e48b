import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/webhooks/verify.js';
import { harness, sample, type Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait.js';
import { fixture, PATH } from '../webhooks/helpers.js';

/**
 * Issue #19, D12 (part): a slow request body held a socket for Node's default 300 s and nothing
 * capped the connections. Now a request must arrive within web.request_timeout (headers within
 * web.header_timeout), and at web.max_connections the oldest connections that are not being
 * answered make room, so scrapes and Meta's webhooks get through a crowd of slow clients.
 */
const SECRET = 'slow-clients-secret';
let h: Harness | undefined;
let sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
  await h?.close();
  h = undefined;
});

const hostPort = (url: string) => {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
};

/** A client that sends part of a request and then nothing: headers cut short, or a body that never completes. */
async function slowClient(url: string, kind: 'headers' | 'body'): Promise<Socket> {
  const s = connect(hostPort(url));
  s.on('error', () => {});
  // Read what the server sends (a 408, its end of the connection), or 'close' never comes.
  s.resume();
  await once(s, 'connect');
  s.write(
    kind === 'headers'
      ? `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`
      : `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"object":`,
  );
  sockets.push(s);
  return s;
}

async function webhook(url: string): Promise<number> {
  const body = fixture('status_sent_marketing');
  const res = await request(`${url}${PATH}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, SECRET) },
  });
  await res.body.text();
  return res.statusCode;
}

describe('slow clients', () => {
  it('a webhook body that stops arriving is cut off by the default web.request_timeout, 15 s (before: held 300 s)', async () => {
    h = await harness({ config: { webhooks: { app_secret: SECRET } } });
    const s = await slowClient(h.exp.url, 'body');
    let answer = '';
    s.on('data', (b: Buffer) => {
      answer += b.toString();
    });
    await once(s, 'close');
    // Node answers 408 when it can, then closes; the socket is free either way.
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(await webhook(h.exp.url)).toBe(200);
  }, 60_000);

  it('headers that never end are cut off after web.header_timeout', async () => {
    h = await harness({ config: { webhooks: { app_secret: SECRET }, web: { header_timeout: '1s' } } });
    const s = await slowClient(h.exp.url, 'headers');
    await once(s, 'close');
  });

  it('1,000 slow connections: the exporter holds at most web.max_connections, and scrapes and webhooks are answered', async () => {
    // Long timeouts: only the cap is at work here.
    h = await harness({
      config: {
        webhooks: { app_secret: SECRET },
        web: { max_connections: 200, header_timeout: '5m', request_timeout: '5m' },
      },
    });
    const url = h.exp.url;
    const crowd: Socket[] = [];
    for (let i = 0; i < 1_000; i++) crowd.push(await slowClient(url, i % 2 ? 'headers' : 'body'));
    // The oldest were closed to make room: what is left open is the cap, not the crowd.
    await waitFor(
      async () => crowd.filter((s) => !s.closed).length <= 200,
      10_000,
      () => `${crowd.filter((s) => !s.closed).length} slow connections still open`,
    );
    for (let i = 0; i < 20; i++) {
      const res = await request(`${url}/metrics`);
      expect(res.statusCode).toBe(200);
      await res.body.text();
      expect(await webhook(url)).toBe(200);
      // The crowd keeps coming back while the exporter serves.
      for (let j = 0; j < 10; j++) crowd.push(await slowClient(url, 'body'));
    }
    // The exposition re-renders a moment after a change (coalesced); wait for it, as a scrape a little later would.
    await h.exp.exposition.flush();
    const text = await h.scrape();
    expect(sample(text, 'whatsapp_webhook_requests_total')).toBeGreaterThanOrEqual(20);
    expect(h.logs()).toContain('connection cap reached');
  });
});
