// /metrics negotiates OpenMetrics over real HTTP: Prometheus' own Accept header gets OpenMetrics,
// which a real Prometheus parses and ingests (promtool check metrics reads only the text format);
// q-values decide; the text format stays what it was.
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrometheus, waitFor, type Child, type PromVector } from '../e2e/processes.js';
import { harness, type Harness } from '../helpers/harness.js';

/** What Prometheus 2.x sends on every scrape. */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const TEXT = 'text/plain; version=0.0.4; charset=utf-8';

let h: Harness;

interface Target {
  health: string;
  lastError: string;
}

interface Scrape {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function scrape(o: { accept?: string; gzip?: boolean; method?: 'GET' | 'HEAD' } = {}): Promise<Scrape> {
  const res = await request(`${h.exp.url}/metrics`, {
    method: o.method ?? 'GET',
    headers: { ...(o.accept ? { accept: o.accept } : {}), ...(o.gzip ? { 'accept-encoding': 'gzip' } : {}) },
  });
  const buf = Buffer.from(await res.body.arrayBuffer());
  if (o.method === 'HEAD') return { status: res.statusCode, headers: res.headers, text: buf.toString() };
  expect(Number(res.headers['content-length'])).toBe(buf.length);
  const text = res.headers['content-encoding'] === 'gzip' ? gunzipSync(buf).toString() : buf.toString();
  return { status: res.statusCode, headers: res.headers, text };
}

/**
 * Process and Node.js series move between two scrapes (values, and series such as a first major GC);
 * everything else is settled. Their # HELP / # TYPE lines stay.
 */
const steady = (text: string) => text.replace(/^(?:process|nodejs)_.*\n/gm, '');

beforeAll(async () => {
  h = await harness({
    sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 },
    processMetrics: true,
    config: { web: { enable_openmetrics: true } },
  });
});
afterAll(() => h.close());

describe('OpenMetrics is off by default', () => {
  it("answers Prometheus' Accept header with the text format unless web.enable_openmetrics is set", async () => {
    const off = await harness({ sandbox: { phoneNumbers: 1, wabas: 1, businesses: 1 } });
    try {
      const res = await request(`${off.exp.url}/metrics`, { headers: { accept: PROMETHEUS_ACCEPT } });
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.body.text();
      expect(text).not.toContain('# EOF');
      expect(text).toContain('# TYPE whatsapp_webhook_requests_total counter');
    } finally {
      await off.close();
    }
  });
});

describe('/metrics content negotiation', () => {
  it("answers Prometheus' Accept header with OpenMetrics, gzip and plain alike, ending in one # EOF", async () => {
    const gz = await scrape({ accept: PROMETHEUS_ACCEPT, gzip: true });
    const plain = await scrape({ accept: PROMETHEUS_ACCEPT });
    for (const r of [gz, plain]) {
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(OPENMETRICS);
      expect(r.headers.vary).toBe('Accept, Accept-Encoding');
    }
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(steady(plain.text)).toBe(steady(gz.text));
    const lines = gz.text.split('\n');
    expect(lines.slice(-2)).toEqual(['# EOF', '']);
    expect(lines.filter((l) => l === '# EOF')).toHaveLength(1);
    expect(lines.slice(0, -1)).not.toContain('');
    // Counter families without _total, their samples with it: the collectors' and the live ones.
    expect(gz.text).toContain('# TYPE whatsapp_webhook_requests counter\nwhatsapp_webhook_requests_total 0\n');
    expect(gz.text).toMatch(
      /^# TYPE whatsapp_exporter_graph_api_requests counter\nwhatsapp_exporter_graph_api_requests_total\{endpoint="/m,
    );
    expect(gz.text).toContain('# TYPE process_cpu_seconds counter\nprocess_cpu_seconds_total ');
    expect(gz.text).not.toMatch(/^# (HELP|TYPE) \S+_total /m);
  });

  it('the OpenMetrics body is the text body with counter families renamed, no blank lines and # EOF', async () => {
    const text = await scrape({ gzip: true });
    const om = await scrape({ accept: 'application/openmetrics-text', gzip: true });
    const renamed = steady(text.text)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/^(# (?:HELP|TYPE) \S+)_total (?=.*)/, '$1 '));
    // Counter families only: a gauge is never named _total here.
    for (const m of text.text.matchAll(/^# TYPE (\S+)_total (\S+)$/gm)) expect(m[2]).toBe('counter');
    expect(steady(om.text).split('\n').slice(0, -1)).toEqual([...renamed, '# EOF']);
  });

  it('serves the text format, unchanged, without an Accept header, for text/plain, and when text has the higher q', async () => {
    const none = await scrape({ gzip: true });
    expect(none.headers['content-type']).toBe(TEXT);
    expect(none.text).not.toContain('# EOF');
    expect(none.text).toMatch(/^# TYPE whatsapp_webhook_requests_total counter$/m);
    for (const accept of [
      'text/plain;version=0.0.4',
      '*/*',
      'application/openmetrics-text;version=1.0.0;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'application/openmetrics-text;version=2.0.0,text/plain;q=0.1',
    ]) {
      for (const gzip of [true, false]) {
        const r = await scrape({ accept, gzip });
        expect(r.headers['content-type'], accept).toBe(TEXT);
        expect(steady(r.text), accept).toBe(steady(none.text));
      }
    }
  });

  it('answers HEAD in both formats with the headers of GET and no body', async () => {
    for (const accept of [undefined, PROMETHEUS_ACCEPT]) {
      for (const gzip of [true, false]) {
        const head = await scrape({ accept, gzip, method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(head.text).toBe('');
        expect(head.headers['content-type']).toBe(accept ? OPENMETRICS : TEXT);
        expect(head.headers['content-encoding']).toBe(gzip ? 'gzip' : undefined);
        expect(Number(head.headers['content-length'])).toBeGreaterThan(1000);
      }
    }
  });
});

describe('a real Prometheus scraping with its default Accept header', () => {
  let prom: (Child & { query(expr: string): Promise<PromVector> }) | undefined;

  beforeAll(async () => {
    const target = new URL(h.exp.url).host;
    prom = await startPrometheus({
      config: stringify({
        global: { scrape_interval: '1s', scrape_timeout: '1s' },
        scrape_configs: [{ job_name: 'exporter', static_configs: [{ targets: [target] }] }],
      }),
    });
  });
  afterAll(() => prom?.stop());

  it('parses the OpenMetrics body without error and ingests every whatsapp_* series', { timeout: 60_000 }, async () => {
    const p = prom as NonNullable<typeof prom>;
    const values = async (expr: string) => (await p.query(expr)).data?.result ?? [];
    // Prometheus' first scrape lands a few seconds after start; a body it cannot parse makes the
    // target down with the parser's error.
    const targets = async () =>
      ((await (await fetch(`${p.url}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } }).data
        .activeTargets;
    await waitFor(
      async () => (await targets()).some((t) => t.health !== 'unknown'),
      30_000,
      () => `Prometheus never scraped the exporter:\n${p.output()}`,
    );
    expect((await targets()).map((t) => [t.health, t.lastError])).toEqual([['up', '']]);

    // Parsed as OpenMetrics: the counter's metadata is filed under the family name without _total
    // (the text format would file it under whatsapp_exporter_graph_api_requests_total).
    const metadata = (await (await fetch(`${p.url}/api/v1/metadata`)).json()) as {
      data: Record<string, Array<{ type: string }>>;
    };
    expect(metadata.data.whatsapp_exporter_graph_api_requests?.[0]?.type).toBe('counter');
    expect(metadata.data.whatsapp_exporter_graph_api_requests_total).toBeUndefined();

    // Queried by the names dashboards and rules use.
    const requests = await values('sum(whatsapp_exporter_graph_api_requests_total{job="exporter"})');
    expect(Number(requests[0]?.value[1])).toBeGreaterThan(0);
    expect(await values('whatsapp_webhook_requests_total{job="exporter"}')).toHaveLength(1);
    expect(await values('nodejs_gc_duration_seconds_count{job="exporter"}')).not.toHaveLength(0);

    // Every whatsapp_* series of an OpenMetrics scrape is in Prometheus, under the same name and labels.
    const om = await scrape({ accept: PROMETHEUS_ACCEPT, gzip: true });
    const ours = om.text
      .split('\n')
      .filter((l) => l.startsWith('whatsapp_'))
      .map((l) => l.slice(0, l.lastIndexOf(' ')));
    expect(ours.length).toBeGreaterThan(50);
    const ingested = await values('{job="exporter", __name__=~"whatsapp_.*"}');
    expect(ingested).toHaveLength(ours.length);
    const names = new Set(ingested.map((s) => s.metric.__name__));
    for (const line of ours) expect(names.has(line.replace(/\{.*$/, '')), line).toBe(true);
  });
});
