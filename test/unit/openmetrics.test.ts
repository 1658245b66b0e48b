// OpenMetrics from the cached exposition: counter headers exist in both formats, everything else
// is rendered and compressed once; the live registry is formatted by prom-client without renaming
// its counters; one `# EOF`; nothing re-rendered per scrape.
import type { Readable } from 'node:stream';
import { text as readText } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_FAMILIES } from '../../src/collectors/index.js';
import { Exposition, type Fragment } from '../../src/metrics/exposition.js';
import { counter, gauge, Samples } from '../../src/metrics/family.js';
import type { Format } from '../../src/metrics/format.js';
import { openMetricsOf } from '../../src/metrics/openmetrics.js';
import { Header, renderSamples, textIn, textOf } from '../../src/metrics/render.js';
import { ManualClock } from '../../src/util/clock.js';

const EVENTS = counter('x_events_total', 'Events, by kind.', ['kind']);
const TOTAL = counter('x_requests_total', 'Requests.', []);
const LEVEL = gauge('x_level', 'A "level".', ['waba_id']);
const logger = pino({ level: 'silent' });

function fragment(name: string, fill: (s: Samples) => void): Fragment {
  return {
    name,
    deps: [name],
    render() {
      const s = new Samples();
      fill(s);
      return renderSamples(s);
    },
  };
}

const counters = fragment('counters', (s) => {
  s.add(LEVEL, { waba_id: '1' }, 3);
  s.add(EVENTS, { kind: 'a' }, 2);
  s.add(EVENTS, { kind: 'b' }, 5);
  s.add(TOTAL, {}, 7);
  s.add(LEVEL, { waba_id: '2' }, 4);
});

function liveRegistry(): Registry {
  const live = new Registry();
  new Counter({
    name: 'x_live_requests_total',
    help: 'Live requests.',
    labelNames: ['endpoint'],
    registers: [live],
  }).inc({ endpoint: 'batch' }, 3);
  new Gauge({ name: 'x_live_up', help: 'Up.', registers: [live] }).set(1);
  new Histogram({ name: 'x_live_seconds', help: 'Durations.', buckets: [0.1, 1], registers: [live] }).observe(0.5);
  return live;
}

async function body(e: Exposition, gzip: boolean, format: Format): Promise<string> {
  const r = await e.scrape(gzip, format);
  if (gzip) {
    expect(r.bytes).toBe((r.body as Buffer).length);
    return gunzipSync(r.body as Buffer).toString();
  }
  const text = (await readText(r.body as Readable)) + (r.trailer?.toString() ?? '');
  expect(r.bytes).toBe(Buffer.byteLength(text));
  return text;
}

describe('renderSamples in both formats', () => {
  it('a counter header is a Header part; series lines and gauge headers are shared', async () => {
    const s = new Samples();
    s.add(EVENTS, { kind: 'a' }, 1);
    s.add(LEVEL, {}, 2);
    const parts = await renderSamples(s);
    expect(parts.filter((p) => p instanceof Header)).toHaveLength(1);
    expect(textOf(parts)).toBe(
      [
        '# HELP x_events_total Events, by kind.',
        '# TYPE x_events_total counter',
        'x_events_total{kind="a"} 1',
        '# HELP x_level A "level".',
        '# TYPE x_level gauge',
        'x_level 2',
        '',
      ].join('\n'),
    );
    expect(textIn(parts, 'openmetrics')).toBe(
      [
        '# HELP x_events Events, by kind.',
        '# TYPE x_events counter',
        'x_events_total{kind="a"} 1',
        '# HELP x_level A "level".',
        '# TYPE x_level gauge',
        'x_level 2',
        '',
      ].join('\n'),
    );
  });

  it('every counter family the collectors define ends in _total (its series lines serve both formats)', () => {
    const counters = COLLECTOR_FAMILIES.filter((f) => f.type === 'counter');
    expect(counters.length).toBeGreaterThan(0);
    expect(counters.filter((f) => !f.name.endsWith('_total')).map((f) => f.name)).toEqual([]);
  });
});

describe('openMetricsOf', () => {
  it('formats with prom-client and leaves the counter as it was, so the text format keeps _total', async () => {
    const live = liveRegistry();
    const c = live.getSingleMetric('x_live_requests_total');
    if (!(c instanceof Counter)) throw new Error('no counter');
    expect(await openMetricsOf(c)).toBe(
      '# HELP x_live_requests Live requests.\n# TYPE x_live_requests counter\nx_live_requests_total{endpoint="batch"} 3',
    );
    // prom-client's own registry.metrics() in OpenMetrics mode renames the counter in place.
    expect((c as unknown as { name: string }).name).toBe('x_live_requests_total');
    expect(await live.metrics()).toContain(
      '# TYPE x_live_requests_total counter\nx_live_requests_total{endpoint="batch"} 3',
    );
  });
});

describe('Exposition in OpenMetrics', () => {
  it('serves OpenMetrics gzip and plain, equal, ending in one # EOF, with no blank line', async () => {
    const e = new Exposition({
      fragments: [counters],
      live: liveRegistry(),
      logger,
      clock: new ManualClock(0),
      liveTtlMs: 0,
    });
    const gz = await body(e, true, 'openmetrics');
    expect(await body(e, false, 'openmetrics')).toBe(gz);
    const lines = gz.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.at(-2)).toBe('# EOF');
    expect(lines.filter((l) => l === '# EOF')).toHaveLength(1);
    expect(lines.slice(0, -1)).not.toContain('');
    expect(gz).toContain('# TYPE x_events counter\nx_events_total{kind="a"} 2\nx_events_total{kind="b"} 5\n');
    expect(gz).toContain('# HELP x_requests Requests.\n# TYPE x_requests counter\nx_requests_total 7\n');
    expect(gz).toContain('# TYPE x_level gauge\nx_level{waba_id="1"} 3\nx_level{waba_id="2"} 4\n');
    expect(gz).toContain('# TYPE x_live_requests counter\nx_live_requests_total{endpoint="batch"} 3\n');
    expect(gz).toContain('x_live_seconds_bucket{le="+Inf"} 1\nx_live_seconds_sum 0.5\nx_live_seconds_count 1\n# EOF\n');
    expect(gz).toContain('# TYPE whatsapp_exporter_collector_success gauge\n');
    // Every counter family's samples carry _total; no family name does.
    for (const m of gz.matchAll(/^# TYPE (\S+) counter$/gm)) {
      expect(m[1]).not.toMatch(/_total$/);
      expect(gz).toMatch(new RegExp(`^${m[1]}_total[{ ]`, 'm'));
    }
    e.close();
  });

  it('the text format is unchanged by OpenMetrics scrapes, and neither format re-renders per scrape', async () => {
    const e = new Exposition({
      fragments: [counters],
      live: liveRegistry(),
      logger,
      clock: new ManualClock(0),
      liveTtlMs: 0,
    });
    const text = await body(e, true, 'text');
    const renders = e.renders;
    const om = await body(e, true, 'openmetrics');
    await body(e, false, 'openmetrics');
    expect(e.renders).toBe(renders);
    expect(await body(e, true, 'text')).toBe(text);
    expect(await body(e, false, 'text')).toBe(text);
    expect(text).toContain('# HELP x_events_total Events, by kind.\n# TYPE x_events_total counter\n');
    expect(text).toContain('# TYPE x_live_requests_total counter\nx_live_requests_total{endpoint="batch"} 3\n');
    expect(text).not.toContain('# EOF');
    // The same samples in the same order: the text format with counter families renamed, the
    // live registry's blank lines dropped, and # EOF.
    const renamed = text
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/^(# (?:HELP|TYPE) \w+)_total /, '$1 '));
    expect(om.split('\n').filter((l) => l !== '')).toEqual([...renamed, '# EOF']);
    e.close();
  });

  it('a re-render refreshes both formats; OpenMetrics is joined again on its next scrape only', async () => {
    let n = 1;
    const f = fragment('moving', (s) => s.add(TOTAL, {}, n));
    const e = new Exposition({ fragments: [f], live: new Registry(), logger, clock: new ManualClock(0), liveTtlMs: 0 });
    expect(await body(e, true, 'openmetrics')).toContain('x_requests_total 1\n');
    n = 2;
    e.invalidate('moving');
    await e.flush();
    expect(await body(e, true, 'openmetrics')).toContain('# TYPE x_requests counter\nx_requests_total 2\n');
    expect(await body(e, false, 'openmetrics')).toMatch(/x_requests_total 2\n[\s\S]*# EOF\n$/);
    expect(await body(e, true, 'text')).toContain('# TYPE x_requests_total counter\nx_requests_total 2\n');
    e.close();
  });

  it('with an empty fragment and an empty live registry, the body still ends in one # EOF, no blank line', async () => {
    const none = fragment('none', () => {});
    const e = new Exposition({
      fragments: [none],
      live: new Registry(),
      logger,
      clock: new ManualClock(0),
      liveTtlMs: 0,
    });
    for (const gzip of [true, false]) {
      const om = await body(e, gzip, 'openmetrics');
      expect(om).toMatch(/^# HELP whatsapp_exporter_collector_success [\s\S]*\n# EOF\n$/);
      expect(om.split('\n').filter((l) => l === '')).toEqual(['']);
    }
    e.close();
  });
});
