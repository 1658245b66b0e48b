// metrics.allow / deny / opt_in over real HTTP: families are left out of the exposition (snapshot
// collectors and the live self-metrics alike), the opt-in family appears only when listed, a
// pattern that matches nothing is a config error naming its key, on start and on reload (the old
// configuration keeps running).
import { readFileSync, writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { FamilyFilter, listIssues } from '../../src/metrics/filter.js';
import { startExporter } from '../../src/main.js';
import { metricCatalog } from '../../src/metric-catalog.js';
import { harness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const families = (text: string) => new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));

describe('family lists: semantics', () => {
  const isOptIn = (n: string) => n === 'x_opt';
  it.each([
    [
      { allow: [], deny: [], optIn: [] },
      { a_one: true, b_two: true, x_opt: false },
    ],
    [
      { allow: ['a_.*'], deny: [], optIn: [] },
      { a_one: true, b_two: false, x_opt: false },
    ],
    [
      { allow: ['a_.*', 'b_two'], deny: ['a_one'], optIn: [] },
      { a_one: false, b_two: true, x_opt: false },
    ],
    [
      { allow: [], deny: [], optIn: ['x_opt'] },
      { a_one: true, b_two: true, x_opt: true },
    ],
    [
      { allow: ['a_.*'], deny: [], optIn: ['x_opt'] },
      { a_one: true, b_two: false, x_opt: false },
    ],
    [
      { allow: [], deny: ['x_.*'], optIn: ['x_opt'] },
      { a_one: true, b_two: true, x_opt: false },
    ],
    // Anchored: "one" alone matches no name.
    [
      { allow: ['one'], deny: [], optIn: [] },
      { a_one: false, b_two: false, x_opt: false },
    ],
  ])('%j', (lists, want) => {
    const f = new FamilyFilter(lists, isOptIn);
    expect(Object.fromEntries(Object.keys(want).map((n) => [n, f.allows(n)]))).toEqual(want);
  });

  it('the catalog knows every whatsapp_* family the golden scenario exports (a collector module left out of it would be unfilterable)', () => {
    const golden = readFileSync(new URL('../golden/sandbox-basic.prom', import.meta.url), 'utf8');
    const known = new Set(metricCatalog().map((f) => f.name));
    const exported = [...families(golden)].filter(
      (n): n is string => n !== undefined && n.startsWith('whatsapp_') && !n.startsWith('whatsapp_exporter_collector_'),
    );
    expect(exported.length).toBeGreaterThan(40);
    expect(exported.filter((n) => !known.has(n))).toEqual([]);
  });

  it('a pattern matching no family, or opt_in naming a family that is not opt-in, is an issue at its key', () => {
    const catalog = metricCatalog();
    expect(catalog.some((f) => f.name === 'whatsapp_phone_number_info')).toBe(true);
    expect(
      catalog
        .filter((f) => f.optIn)
        .map((f) => f.name)
        .sort(),
    ).toEqual([
      'whatsapp_phone_number_name_status',
      'whatsapp_phone_number_quality_score',
      'whatsapp_phone_number_throughput_level',
      'whatsapp_phone_number_unique_recipients_24h',
    ]);
    const issues = listIssues(
      { allow: ['whatsapp_phone_number_.*'], deny: ['whatsapp_nope'], optIn: ['whatsapp_phone_number_info'] },
      catalog,
    );
    expect(issues.map((i) => i.path)).toEqual(['metrics.deny[0]', 'metrics.opt_in[0]']);
    expect(issues[0]?.message).toBe('"whatsapp_nope" matches no metric family');
  });
});

describe('family lists: the exporter', () => {
  it('the opt-in family is left out by default and served when opted in', async () => {
    h = await harness({ sandbox: { phoneNumbers: 2, wabas: 1 } });
    expect(families(await h.scrape()).has('whatsapp_phone_number_name_status')).toBe(false);
    await h.close();
    h = await harness({
      sandbox: { phoneNumbers: 2, wabas: 1 },
      config: { metrics: { opt_in: ['whatsapp_phone_number_name_status'] } },
    });
    expect(families(await h.scrape()).has('whatsapp_phone_number_name_status')).toBe(true);
  });

  it('deny leaves collector and self-metric families out; allow keeps only what it names; reload applies new lists', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 2, wabas: 1 },
      config: { metrics: { deny: ['whatsapp_phone_number_status', 'whatsapp_exporter_graph_api_requests_total'] } },
    });
    let got = families(await h.scrape());
    expect(got.has('whatsapp_phone_number_info')).toBe(true);
    expect(got.has('whatsapp_phone_number_status')).toBe(false);
    expect(got.has('whatsapp_exporter_graph_api_requests_total')).toBe(false);
    expect(got.has('whatsapp_exporter_graph_api_request_failures_total')).toBe(true);

    const doc = parse(readFileSync(h.file, 'utf8')) as Record<string, unknown>;
    doc.metrics = { allow: ['whatsapp_phone_number_.*'] };
    writeFileSync(h.file, stringify(doc));
    let res = await request(`${h.exp.url}/-/reload`, { method: 'POST' });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    await h.exp.exposition.flush();
    got = families(await h.scrape());
    expect(got.has('whatsapp_phone_number_status')).toBe(true);
    expect(got.has('whatsapp_business_account_info')).toBe(false);
    expect(got.has('whatsapp_exporter_graph_api_requests_total')).toBe(false);
    // The framework's collector health is never filtered.
    expect(got.has('whatsapp_exporter_collector_success')).toBe(true);

    doc.metrics = { deny: ['whatsapp_typo_.*'] };
    writeFileSync(h.file, stringify(doc));
    res = await request(`${h.exp.url}/-/reload`, { method: 'POST' });
    expect(res.statusCode).toBe(500);
    expect(await res.body.text()).toContain('metrics.deny[0]');
    await h.exp.exposition.flush();
    got = families(await h.scrape());
    expect(got.has('whatsapp_business_account_info')).toBe(false);
    expect(got.has('whatsapp_phone_number_info')).toBe(true);
  });

  it('an unknown family refuses to start, naming the key', async () => {
    h = await harness({ sandbox: { phoneNumbers: 1, wabas: 1 } });
    const config = { ...h.exp.config(), metrics: { ...h.exp.config().metrics, allow: ['whatsapp_nothing_like_this'] } };
    await expect(startExporter({ config, logger: pino({ level: 'silent' }), listen: { port: 0 } })).rejects.toThrow(
      /metrics\.allow\[0\]: "whatsapp_nothing_like_this" matches no metric family/,
    );
  });
});
