import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import pino from 'pino';
import { Registry } from 'prom-client';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { Exposition, type Fragment } from '../../src/metrics/exposition.js';
import { gauge, Samples } from '../../src/metrics/family.js';
import { Packed, renderSamples, type GroupCache } from '../../src/metrics/render.js';
import { ManualClock } from '../../src/util/clock.js';

const STATE = gauge('x_state', 'A state set.', ['waba_id', 'phone_number_id', 'state']);
const STATES = ['CONNECTED', 'DISCONNECTED', 'PENDING', 'FLAGGED', 'RESTRICTED', 'BANNED'];
const logger = pino({ level: 'silent' });

/** A grouped fragment over `wabas` WABAs of 5 numbers, with its own group cache, like a collector. */
function stateFragment(data: { wabas: number; current: (waba: number) => string }): Fragment & { cache: GroupCache } {
  const cache: GroupCache = new Map();
  return {
    name: 'states',
    deps: ['graph_accounts'],
    cache,
    render() {
      const s = new Samples();
      for (let w = 0; w < data.wabas; w++) {
        const cur = data.current(w);
        s.group(`waba${w}`, JSON.stringify({ w, cur, pad: 'x'.repeat(60) }), () => {
          for (let p = 0; p < 5; p++)
            s.stateSet(
              STATE,
              { waba_id: `10000000000${w}`, phone_number_id: `11000000000${w}${p}` },
              'state',
              STATES,
              cur,
            );
        });
      }
      return renderSamples(s, cache);
    },
  };
}

function exposition(fragments: Fragment[]): Exposition {
  return new Exposition({ fragments, live: new Registry(), logger, clock: new ManualClock(1_000), liveTtlMs: 0 });
}

async function plainText(e: Exposition): Promise<{ bytes: number; text: string }> {
  const r = await e.scrape(false);
  expect(Buffer.isBuffer(r.body)).toBe(false);
  const body = await readText(r.body as Readable);
  return { bytes: r.bytes, text: body + (r.trailer?.toString() ?? '') };
}

describe('Exposition', () => {
  it('serves the same text gzip-compressed and plain, with the true length of each', async () => {
    const e = exposition([stateFragment({ wabas: 40, current: () => 'CONNECTED' })]);
    const gz = await e.scrape(true);
    expect(Buffer.isBuffer(gz.body)).toBe(true);
    expect(gz.bytes).toBe((gz.body as Buffer).length);
    const fromGzip = gunzipSync(gz.body as Buffer).toString();
    const plain = await plainText(e);
    expect(plain.text).toBe(fromGzip);
    expect(plain.bytes).toBe(Buffer.byteLength(plain.text));
    expect(plain.text.split('\n').filter((l) => l.startsWith('x_state{'))).toHaveLength(40 * 5 * STATES.length);
    expect(plain.text).toContain('x_state{waba_id="100000000007",phone_number_id="1100000000073",state="CONNECTED"} 1');
  });

  it('re-renders a changed group and reuses the others from their packed text', async () => {
    const current = new Map<number, string>();
    const f = stateFragment({ wabas: 30, current: (w) => current.get(w) ?? 'CONNECTED' });
    const e = exposition([f]);
    await e.scrape(true);
    const before = new Map([...f.cache].map(([k, v]) => [k, v.text]));
    current.set(7, 'BANNED');
    e.invalidate('graph_accounts');
    await e.flush();
    const text = gunzipSync((await e.scrape(true)).body as Buffer).toString();
    expect(text).toContain('x_state{waba_id="100000000007",phone_number_id="1100000000073",state="BANNED"} 1');
    expect(text).toContain('x_state{waba_id="100000000008",phone_number_id="1100000000083",state="CONNECTED"} 1');
    // The unchanged groups kept their packed text object; only waba7's is new.
    const changed = [...f.cache].filter(([k, v]) => before.get(k) !== v.text).map(([k]) => k);
    expect(changed).toEqual(['waba7']);
  });

  it('keeps group text packed in exact-size allocations, far smaller than the text', async () => {
    const f = stateFragment({ wabas: 20, current: () => 'PENDING' });
    const parts = await f.render();
    expect(Array.isArray(parts)).toBe(true);
    let packed = 0;
    let plain = 0;
    for (const [, g] of f.cache) {
      for (const p of g.text.values()) {
        // A view into zlib's 16 KB output chunk would keep 16 KB alive per group and family.
        expect(p.bytes.buffer.byteLength).toBe(p.bytes.length);
        packed += p.bytes.length;
        plain += p.text().length;
      }
    }
    expect(plain / packed).toBeGreaterThan(8);
    expect(Packed.of('a b c\n').text().toString()).toBe('a b c\n');
  });

  it('long group signatures are kept as digests, short ones as they are', async () => {
    const s = new Samples();
    s.group('a', 'short', () => {});
    s.group('b', 'x'.repeat(5_000), () => {});
    s.group('c', `${'x'.repeat(4_999)}y`, () => {});
    expect(s.groups.get('a')?.sig).toBe('short');
    expect(s.groups.get('b')?.sig.length).toBeLessThan(40);
    expect(s.groups.get('b')?.sig).not.toBe(s.groups.get('c')?.sig);
  });

  it('a client that drops a plain-text scrape midway does not break the next one', async () => {
    const e = exposition([stateFragment({ wabas: 400, current: () => 'CONNECTED' })]);
    // The real /metrics handler, over real HTTP.
    const app = createApp({
      config: () => loadConfig({ env: {} }),
      exposition: e,
      ready: () => true,
      logger,
      version: 'test',
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    // Read a few bytes of a large plain body, then reset the connection.
    await new Promise<void>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
      sock.once('data', () => {
        sock.resetAndDestroy();
        resolve();
      });
    });
    const res = await request(`http://127.0.0.1:${port}/metrics`);
    const again = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(again));
    expect(again.split('\n').filter((l) => l.startsWith('x_state{'))).toHaveLength(400 * 5 * STATES.length);
    server.closeAllConnections();
    server.close();
  });

  it('collector health: a failing collector is 0 with its last output served, then dropped past its staleness limit; recovery is 1 again', async () => {
    const clock = new ManualClock(1_000);
    let broken = false;
    const GOOD = gauge('x_good', 'A value.', []);
    const flaky: Fragment = {
      name: 'flaky',
      deps: ['src'],
      maxStaleMs: 60_000,
      async render() {
        if (broken) throw new Error('boom');
        const s = new Samples();
        s.add(GOOD, {}, 7);
        return renderSamples(s);
      },
    };
    const steady: Fragment = { name: 'steady', deps: ['other'], render: async () => '# steady\n' };
    const e = new Exposition({
      fragments: [flaky, steady],
      live: new Registry(),
      logger,
      clock,
      liveTtlMs: 0,
      collectorRetryMs: 10,
    });
    const text = async () => (await plainText(e)).text;
    let t = await text();
    expect(t).toContain('x_good 7');
    expect(t).toContain('whatsapp_exporter_collector_success{collector="flaky"} 1');
    expect(t).toContain('whatsapp_exporter_collector_success{collector="steady"} 1');
    expect(t).toMatch(/^whatsapp_exporter_collector_duration_seconds\{collector="flaky"\} \d/m);

    broken = true;
    // The last good render is older than the limit (a collector rendered once an hour): the limit
    // counts from the first failure, so the first failure keeps the output.
    clock.advance(120_000);
    e.invalidate('src');
    await e.flush();
    t = await text();
    expect(t).toContain('x_good 7');
    clock.advance(30_000);
    e.invalidate('src');
    await e.flush();
    t = await text();
    // Within its staleness limit: the last good output stays, and the failure is a metric.
    expect(t).toContain('x_good 7');
    expect(t).toContain('whatsapp_exporter_collector_success{collector="flaky"} 0');
    expect(t).toContain('whatsapp_exporter_collector_success{collector="steady"} 1');

    // Past the limit, the retry (no snapshot change needed) drops the frozen series.
    clock.advance(31_000);
    await new Promise((r) => setTimeout(r, 200));
    await e.flush();
    t = await text();
    expect(t).not.toContain('x_good');
    expect(t).toContain('whatsapp_exporter_collector_success{collector="flaky"} 0');

    broken = false;
    e.invalidate('src');
    await e.flush();
    t = await text();
    expect(t).toContain('x_good 7');
    expect(t).toContain('whatsapp_exporter_collector_success{collector="flaky"} 1');
    e.close();
  });
});
