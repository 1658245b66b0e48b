import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { shardOf } from '../../src/shard/shard.js';
import { labelValues, replica, statusWebhook, sumOf, type Replica } from './helpers.js';

/**
 * Two replicas (`shard: 1/2` and `2/2`) over one sandbox population: 40 numbers in 12 WABAs of
 * 3 portfolios. Together they must export everything exactly once; a single replica exports
 * everything. Ownership rules: "Sharding" in docs/sharding-and-budget.md.
 */
let sb: Sandbox;
let s1: Replica;
let s2: Replica;
let one: Replica;

beforeAll(async () => {
  sb = await startSandbox({
    seed: 3,
    scenario: 'static',
    phoneNumbers: 40,
    wabas: 12,
    businesses: 3,
    templatesPerWaba: 2,
  });
  [s1, s2, one] = await Promise.all([
    replica(sb, { shard: { index: 1, count: 2 } }),
    replica(sb, { shard: { index: 2, count: 2 } }),
    replica(sb),
  ]);
  await Promise.all([s1.refresh(), s2.refresh(), one.refresh()]);
});
afterAll(async () => {
  await Promise.all([s1?.close(), s2?.close(), one?.close()]);
  await sb?.close();
});

const set = (xs: string[]) => new Set(xs);
const intersection = (a: Set<string>, b: Set<string>) => [...a].filter((x) => b.has(x));

describe('two shards over one population', () => {
  it('the population really is split across both shards (else the test proves nothing)', () => {
    const owners = new Set(sb.state.wabaIds().map((w) => shardOf(w, 2)));
    expect(owners).toEqual(new Set([1, 2]));
    expect(new Set(sb.state.businessIds().map((b) => shardOf(b, 2))).size).toBeGreaterThanOrEqual(1);
  });

  it('every phone number, WABA and template is exported exactly once; union = 1 shard = everything', async () => {
    const [a, b, all] = await Promise.all([s1.scrape(), s2.scrape(), one.scrape()]);
    for (const [fam, label] of [
      ['whatsapp_phone_number_info', 'phone_number_id'],
      ['whatsapp_phone_number_quality_score', 'phone_number_id'],
      ['whatsapp_business_account_info', 'waba_id'],
    ] as const) {
      const x = labelValues(a, fam, label);
      const y = labelValues(b, fam, label);
      expect(x.length + y.length, fam).toBe(labelValues(all, fam, label).length);
      expect(intersection(set(x), set(y)), fam).toEqual([]);
      expect(set([...x, ...y]), fam).toEqual(set(labelValues(all, fam, label)));
    }
    expect(
      set([
        ...labelValues(a, 'whatsapp_phone_number_info', 'phone_number_id'),
        ...labelValues(b, 'whatsapp_phone_number_info', 'phone_number_id'),
      ]),
    ).toEqual(set(sb.state.phoneIds()));
    expect(labelValues(a, 'whatsapp_phone_number_info', 'phone_number_id').length).toBeGreaterThan(0);
    expect(labelValues(b, 'whatsapp_phone_number_info', 'phone_number_id').length).toBeGreaterThan(0);
    // Templates: per WABA, on the shard that owns the WABA.
    const ta = labelValues(a, 'whatsapp_message_template_status', 'waba_id');
    const tb = labelValues(b, 'whatsapp_message_template_status', 'waba_id');
    expect(intersection(set(ta), set(tb))).toEqual([]);
    expect(ta.length + tb.length).toBe(labelValues(all, 'whatsapp_message_template_status', 'waba_id').length);
  });

  it('every portfolio limit exactly once, on the shard owning the business id; token on shard 1 only', async () => {
    const [a, b, all] = await Promise.all([s1.scrape(), s2.scrape(), one.scrape()]);
    const la = set(labelValues(a, 'whatsapp_messaging_limit_tier', 'business_id'));
    const lb = set(labelValues(b, 'whatsapp_messaging_limit_tier', 'business_id'));
    expect(intersection(la, lb)).toEqual([]);
    expect(set([...la, ...lb])).toEqual(set(labelValues(all, 'whatsapp_messaging_limit_tier', 'business_id')));
    for (const biz of la) expect(shardOf(biz, 2)).toBe(1);
    for (const biz of lb) expect(shardOf(biz, 2)).toBe(2);
    expect(
      labelValues(a, 'whatsapp_messaging_limit', 'business_id').length +
        labelValues(b, 'whatsapp_messaging_limit', 'business_id').length,
    ).toBe(labelValues(all, 'whatsapp_messaging_limit', 'business_id').length);
    expect(a).toContain('whatsapp_access_token_valid{credential="default"} 1');
    expect(b).not.toContain('whatsapp_access_token_valid');
  });

  it('/-/targets says which shard it is and lists disjoint per-WABA loops; every shard lists every portfolio', async () => {
    const [ta, tb] = await Promise.all([s1.targets(), s2.targets()]);
    expect(ta.shard).toBe('1/2');
    expect(tb.shard).toBe('2/2');
    const of = (t: typeof ta, source: string) => set(t.targets.filter((x) => x.source === source).map((x) => x.target));
    expect(of(ta, 'graph_accounts')).toEqual(set(sb.state.businessIds()));
    expect(of(tb, 'graph_accounts')).toEqual(set(sb.state.businessIds()));
    expect(intersection(of(ta, 'graph_templates'), of(tb, 'graph_templates'))).toEqual([]);
    expect(set([...of(ta, 'graph_templates'), ...of(tb, 'graph_templates')])).toEqual(set(sb.state.wabaIds()));
    expect(of(tb, 'graph_token').size).toBe(0);
    expect(s1.logs()).toContain('"shard":"1/2"');
  });

  it('mirrored webhooks (the same signed POST to both) are counted exactly once in the sum', async () => {
    const now = Math.floor(Date.now() / 1000);
    const wabas = sb.state.wabaIds();
    const sent: Array<{ waba: string; phone: string }> = [];
    let n = 0;
    for (const waba of wabas) {
      const entry = sb.state.waba(waba);
      const phone = entry && sb.state.phonesOf(entry)[0]?.wire.id;
      if (!phone) continue;
      sent.push({ waba, phone });
      for (let i = 0; i < 3; i++) {
        const body = statusWebhook(
          waba,
          phone,
          `wamid.shard-${waba}-${i}`,
          `4915112345${String(n++).padStart(3, '0')}`,
          now,
        );
        expect(await Promise.all([s1.post(body), s2.post(body), one.post(body)])).toEqual([200, 200, 200]);
        // A redelivery to both is still counted once.
        if (i === 0) expect(await Promise.all([s1.post(body), s2.post(body)])).toEqual([200, 200]);
      }
    }
    const [a, b, all] = await Promise.all([s1.scrape(), s2.scrape(), one.scrape()]);
    const fam = 'whatsapp_message_statuses_total';
    expect(sumOf(a, fam) + sumOf(b, fam)).toBe(sent.length * 3);
    expect(sumOf(all, fam)).toBe(sent.length * 3);
    // Counts are summed per portfolio (the default grain): each portfolio's sum over both shards is its own.
    for (const business of sb.state.businessIds()) {
      const expected = sent.filter(({ waba }) => sb.state.waba(waba)?.businessId === business).length * 3;
      const of = (t: string) => sumOf(t, fam, `business_id="${business}"`);
      expect(of(a) + of(b)).toBe(expected);
    }
    expect(sumOf(a, 'whatsapp_billable_messages_total') + sumOf(b, 'whatsapp_billable_messages_total')).toBe(
      sent.length * 3,
    );
    expect(sumOf(a, 'whatsapp_webhook_events_total') + sumOf(b, 'whatsapp_webhook_events_total')).toBe(
      sumOf(all, 'whatsapp_webhook_events_total'),
    );
    // Unique recipients per portfolio: one series per business, on its owner, with all its WABAs' recipients.
    const ua = labelValues(a, 'whatsapp_unique_recipients_24h', 'business_id');
    const ub = labelValues(b, 'whatsapp_unique_recipients_24h', 'business_id');
    expect(intersection(set(ua), set(ub))).toEqual([]);
    for (const biz of sb.state.businessIds()) {
      const series = `whatsapp_unique_recipients_24h{business_id="${biz}"}`;
      expect(
        sumOf(a, 'whatsapp_unique_recipients_24h', `"${biz}"`) + sumOf(b, 'whatsapp_unique_recipients_24h', `"${biz}"`),
        series,
      ).toBe(sumOf(all, 'whatsapp_unique_recipients_24h', `"${biz}"`));
    }
    expect(sumOf(all, 'whatsapp_unique_recipients_24h')).toBe(sent.length * 3);
    // Per-number windows: each number's series exported once across shards.
    const pa = labelValues(a, 'whatsapp_phone_number_unique_recipients_24h', 'phone_number_id');
    const pb = labelValues(b, 'whatsapp_phone_number_unique_recipients_24h', 'phone_number_id');
    expect(intersection(set(pa), set(pb))).toEqual([]);
  });

  it('costs: each shard sends its own per-WABA sub-requests only (portfolio listings on every shard)', async () => {
    sb.stats.reset();
    await s1.refresh();
    const first = sb.stats.toJSON();
    sb.stats.reset();
    await s2.refresh();
    const second = sb.stats.toJSON();
    sb.stats.reset();
    await one.refresh();
    const single = sb.stats.toJSON();
    expect((first.byKind.message_templates ?? 0) + (second.byKind.message_templates ?? 0)).toBe(
      single.byKind.message_templates,
    );
    expect((first.byKind.business ?? 0) + (second.byKind.business ?? 0)).toBe(single.byKind.business);
    expect(first.byKind.owned_wabas).toBe(single.byKind.owned_wabas);
    expect(second.byKind.debug_token ?? 0).toBe(0);
  });
});
