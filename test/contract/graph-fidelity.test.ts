import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/clock.js';
import { family, harness, sample, type Harness } from '../helpers/harness.js';

/**
 * Graph fidelity over real HTTP (docs/graph-fields.md): answers the way Meta's live API or its
 * Business Messaging API spec give them, where they differ from the sandbox's defaults. One
 * rejected field never takes a portfolio down; an answer of another shape is a counted failure
 * that keeps the last good data; a WABA's owner is its owner, not the partner that lists it.
 */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const up = (text: string, source: string, target: string) =>
  sample(text, `whatsapp_exporter_source_up{source="${source}",target="${target}"}`);
const unsupported = (text: string, source: string, field: string) =>
  sample(text, `whatsapp_exporter_graph_field_unsupported{source="${source}",field="${field}"}`);
const failures = (text: string, reason: string) =>
  family(text, 'whatsapp_exporter_graph_api_request_failures_total')
    .filter((l) => l.includes(`reason="${reason}"`))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
const label = (line: string | undefined, name: string) => new RegExp(`${name}="([^"]*)"`).exec(line ?? '')?.[1];
/** Series lines of the families whose values come from Graph data, sorted. */
const dataSeries = (text: string) =>
  text
    .split('\n')
    .filter((l) => /^whatsapp_(phone_number_|business_account_|message_template|messaging_limit)/.test(l))
    .sort();

describe('field-level degradation (Graph error 100 on one field)', () => {
  it('a field Graph rejects by name is left out: every number is still exported, the field is counted, re-checked later', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
    h = await harness({ clock, sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 } });
    const [biz] = h.sb.state.businessIds() as [string];
    h.sb.state.quirks.rejectFields.phone = { fields: ['throughput', 'host_platform'], named: true };
    h.sb.state.quirks.rejectFields.waba = { fields: ['subscribed_apps'], named: true };
    clock.advance(3_600_000);
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', biz)).toBe(1);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(6);
    expect(family(text, 'whatsapp_phone_number_quality_rating')).toHaveLength(6);
    // Every rejected field is named in the gauge; the others of the source read 0.
    expect(unsupported(text, 'graph_accounts', 'phone_number.throughput')).toBe(1);
    expect(unsupported(text, 'graph_accounts', 'phone_number.host_platform')).toBe(1);
    expect(unsupported(text, 'graph_accounts', 'waba.subscribed_apps')).toBe(1);
    expect(unsupported(text, 'graph_accounts', 'phone_number.account_mode')).toBe(0);
    expect(unsupported(text, 'graph_templates', 'template.quality_score')).toBe(0);
    // What it cannot know is absent or "", never made up.
    expect(family(text, 'whatsapp_business_account_subscribed_apps')).toEqual([]);
    expect(label(family(text, 'whatsapp_phone_number_info')[0], 'host_platform')).toBe('');
    expect(label(family(text, 'whatsapp_phone_number_info')[0], 'account_mode')).toBe('LIVE');
    expect(h.logs()).toMatch(/"field":"throughput".*Graph rejects this field/);
    // The next refresh does not ask again (no second rejection): the fields stay out until the re-check.
    h.sb.stats.reset();
    await h.refresh();
    expect(failures(await h.scrape(), 'http_4xx')).toBe(failures(text, 'http_4xx'));
    // Meta rolls the field out; after graph.field_recheck (6h) it is asked again and exported.
    h.sb.state.quirks.rejectFields = {};
    clock.advance(6 * 3_600_000 + 1);
    await h.refresh();
    const later = await h.scrape();
    expect(unsupported(later, 'graph_accounts', 'phone_number.throughput')).toBe(0);
    expect(unsupported(later, 'graph_accounts', 'waba.subscribed_apps')).toBe(0);
    expect(family(later, 'whatsapp_business_account_subscribed_apps')).toHaveLength(3);
    expect(label(family(later, 'whatsapp_phone_number_info')[0], 'host_platform')).toBe('CLOUD_API');
  });

  it('a rejection that does not name the field is found by asking with halves of the optional fields', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1, templatesPerWaba: 2 } });
    const [biz] = h.sb.state.businessIds() as [string];
    h.sb.state.quirks.rejectFields.waba = { fields: ['owner_business_info'], named: false };
    h.sb.state.quirks.rejectFields.template = { fields: ['quality_score'], named: false };
    h.sb.state.quirks.rejectFields.business = { fields: ['whatsapp_business_manager_messaging_limit'], named: false };
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', biz)).toBe(1);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(4);
    expect(unsupported(text, 'graph_accounts', 'waba.owner_business_info')).toBe(1);
    expect(unsupported(text, 'graph_templates', 'template.quality_score')).toBe(1);
    expect(unsupported(text, 'graph_limits', 'business.whatsapp_business_manager_messaging_limit')).toBe(1);
    // Only the guilty field is left out: the other optional fields are still read.
    expect(unsupported(text, 'graph_accounts', 'waba.ownership_type')).toBe(0);
    expect(unsupported(text, 'graph_accounts', 'phone_number.throughput')).toBe(0);
    // Without owner_business_info the owner comes from the owned listing; templates are all there.
    expect(family(text, 'whatsapp_business_account_info').every((l) => l.includes(`business_id="${biz}"`))).toBe(true);
    expect(
      family(text, 'whatsapp_message_templates')
        .map((l) => Number(l.split(' ').pop()))
        .reduce((a, b) => a + b, 0),
    ).toBe(4);
    // The portfolio limit falls back to the numbers' tier (phone_number.whatsapp_business_manager_messaging_limit).
    expect(family(text, 'whatsapp_messaging_limit')).toHaveLength(1);
    expect(h.logs()).toMatch(
      /"how":"probed".*"field":"owner_business_info"|"field":"owner_business_info".*"how":"probed"/,
    );
  });

  it('a core field rejected (the request itself is wrong) still fails the refresh: last good data kept', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const [biz] = h.sb.state.businessIds() as [string];
    const before = dataSeries(await h.scrape());
    h.sb.state.quirks.rejectFields.phone = { fields: ['quality_rating'], named: true };
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', biz)).toBe(0);
    expect(dataSeries(text)).toEqual(before);
    expect(unsupported(text, 'graph_accounts', 'phone_number.quality_rating')).toBeUndefined();
  });
});

describe('schema drift is a counted failure, never a silent drop', () => {
  it('phone_numbers as a plain array (the spec’s declared type): schema failure with its path, source down, last good data kept', async () => {
    h = await harness({ sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 } });
    const [biz] = h.sb.state.businessIds() as [string];
    const before = dataSeries(await h.scrape());
    expect(family(await h.scrape(), 'whatsapp_phone_number_info')).toHaveLength(6);
    h.sb.state.quirks.phoneNumbersAsArray = true;
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', biz)).toBe(0);
    expect(dataSeries(text)).toEqual(before);
    expect(
      sample(
        text,
        'whatsapp_exporter_graph_api_request_failures_total{endpoint="owned_whatsapp_business_accounts",reason="schema"}',
      ),
    ).toBe(1);
    expect(h.logs()).toMatch(/does not match the expected shape at data\[0\]\.phone_numbers/);
    // Meta fixes it: back up, nothing lost.
    h.sb.state.quirks.phoneNumbersAsArray = false;
    await h.refresh();
    const after = await h.scrape();
    expect(up(after, 'graph_accounts', biz)).toBe(1);
    expect(dataSeries(after)).toEqual(before);
  });

  it('wrong-typed names: a number whose verified_name is an object, a template whose name is a number', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1, templatesPerWaba: 2 } });
    const [biz] = h.sb.state.businessIds() as [string];
    const [waba] = h.sb.state.wabaIds() as [string];
    const before = dataSeries(await h.scrape());
    const [phone] = h.sb.state.phoneIds() as [string];
    h.sb.state.updatePhone(phone, { verified_name: { text: 'Shop' } });
    const t = h.sb.state.getTemplates(waba)[0] as { name: string; language: string };
    h.sb.state.updateTemplate(waba, t.name, t.language, { name: 42 });
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', biz)).toBe(0);
    expect(up(text, 'graph_templates', waba)).toBe(0);
    // Numbers and templates are not dropped: the quality and template series are those of the last good refresh.
    expect(dataSeries(text)).toEqual(before);
    expect(failures(text, 'schema')).toBe(2);
    expect(h.logs()).toMatch(/verified_name: Invalid input: expected string/);
    expect(h.logs()).toMatch(/data\[0\]\.name: Invalid input: expected string, received number/);
  });

  it('a field that is simply absent is no series (not a failure)', async () => {
    h = await harness({ sandbox: { phoneNumbers: 2, wabas: 1, businesses: 1 } });
    const [biz] = h.sb.state.businessIds() as [string];
    const [phone] = h.sb.state.phoneIds() as [string];
    h.sb.state.updatePhone(phone, { quality_rating: undefined, account_mode: undefined });
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', biz)).toBe(1);
    expect(failures(text, 'schema')).toBe(0);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(2);
    expect(family(text, 'whatsapp_phone_number_quality_rating').some((l) => l.includes(phone))).toBe(false);
    const info = family(text, 'whatsapp_phone_number_info').find((l) => l.includes(phone));
    expect(label(info, 'account_mode')).toBe('');
  });
});

describe('pricing_analytics', () => {
  it('of another shape: a counted schema failure, last good pricing kept; absent: no series, said in the log', async () => {
    h = await harness({
      ids: 'wabas',
      sandbox: { phoneNumbers: 2, wabas: 1, businesses: 1 },
      config: { billing: { meta_pricing: { enabled: true, interval: '1h' } } },
    });
    const [waba] = h.sb.state.wabaIds() as [string];
    const pricing = (t: string) =>
      family(t, 'whatsapp_pricing_volume_24h').concat(family(t, 'whatsapp_pricing_cost_month_to_date'));
    const before = pricing(await h.scrape());
    expect(before.length).toBeGreaterThan(0);
    h.sb.state.quirks.pricingAnalytics = { value: { data: [{ data_points: 'none' }] } };
    await h.refresh();
    const bad = await h.scrape();
    expect(up(bad, 'graph_pricing', waba)).toBe(0);
    expect(pricing(bad)).toEqual(before);
    expect(
      sample(bad, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="pricing_analytics",reason="schema"}'),
    ).toBe(1);
    expect(h.logs()).toMatch(/data\[0\]\.data_points: Invalid input: expected array/);
    h.sb.state.quirks.pricingAnalytics = { value: undefined };
    await h.refresh();
    const absent = await h.scrape();
    expect(up(absent, 'graph_pricing', waba)).toBe(1);
    expect(pricing(absent)).toEqual([]);
    expect(h.logs()).toMatch(/pricing_analytics absent from the answer/);
  });
});

describe('attribution: the owner of a WABA, and the partner that lists it', () => {
  it('WABAs listed by id without owner info: business_id="unknown" and counted, never ""', async () => {
    h = await harness({ ids: 'wabas', sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    h.sb.state.quirks.ownerInfo = 'none';
    await h.refresh();
    const text = await h.scrape();
    expect(text).not.toMatch(/[{,]business_id=""/);
    expect(family(text, 'whatsapp_business_account_info').every((l) => l.includes('business_id="unknown"'))).toBe(true);
    expect(sample(text, 'whatsapp_exporter_unresolved_references{kind="waba_owner"}')).toBe(2);
    // No portfolio limit is polled for a portfolio no one named.
    expect(family(text, 'whatsapp_exporter_source_up').some((l) => l.includes('target="unknown"'))).toBe(false);
    expect(h.logs()).toMatch(/WABAs without a resolvable owner/);
    // The spec's field names the owner: resolved, the count is back to 0.
    h.sb.state.quirks.ownerInfo = 'on_behalf_of_business_info';
    await h.refresh();
    const later = await h.scrape();
    const [biz] = h.sb.state.businessIds() as [string];
    expect(family(later, 'whatsapp_business_account_info').every((l) => l.includes(`business_id="${biz}"`))).toBe(true);
    expect(sample(later, 'whatsapp_exporter_unresolved_references{kind="waba_owner"}')).toBe(0);
  });

  it('a client WABA under a BSP portfolio belongs to its owner; the BSP is shared_with_business_id', async () => {
    h = await harness({ sandbox: { phoneNumbers: 6, wabas: 3, businesses: 2 } });
    const [bsp, client] = h.sb.state.businessIds() as [string, string];
    const clientWaba = h.sb.state.wabaIds().find((w) => h?.sb.state.waba(w)?.businessId === client) as string;
    h.sb.state.shareWabaAsClient(clientWaba, bsp);
    for (const ownerInfo of ['owner_business_info', 'on_behalf_of_business_info'] as const) {
      h.sb.state.quirks.ownerInfo = ownerInfo;
      await h.refresh();
      const text = await h.scrape();
      const info = family(text, 'whatsapp_business_account_info').filter((l) => l.includes(`waba_id="${clientWaba}"`));
      expect(info).toHaveLength(1);
      expect(label(info[0], 'business_id')).toBe(client);
      expect(label(info[0], 'shared_with_business_id')).toBe(bsp);
      // Its numbers count in the client's portfolio, not the BSP's.
      for (const l of family(text, 'whatsapp_phone_number_info').filter((x) => x.includes(`waba_id="${clientWaba}"`)))
        expect(label(l, 'business_id')).toBe(client);
    }
  });
});

describe("enums of Meta's spec and the new fields", () => {
  it('LINKED, UNLINKED, RESTRICTED and LIMIT_REACHED are known values (no unknown-enum count)', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const [p1, p2] = h.sb.state.phoneIds() as [string, string];
    const [w1, w2] = h.sb.state.wabaIds() as [string, string];
    h.sb.state.updatePhone(p1, { status: 'LINKED' });
    h.sb.state.updatePhone(p2, { status: 'UNLINKED' });
    h.sb.state.updateWaba(w1, { account_review_status: 'RESTRICTED' });
    h.sb.state.updateWaba(w2, { account_review_status: 'LIMIT_REACHED' });
    await h.refresh();
    const text = await h.scrape();
    expect(text).toMatch(
      new RegExp(`whatsapp_phone_number_status\\{[^}]*phone_number_id="${p1}",status="LINKED"\\} 1`),
    );
    expect(text).toMatch(
      new RegExp(`whatsapp_phone_number_status\\{[^}]*phone_number_id="${p2}",status="UNLINKED"\\} 1`),
    );
    expect(text).toMatch(
      new RegExp(`whatsapp_business_account_review_status\\{[^}]*waba_id="${w1}",status="RESTRICTED"\\} 1`),
    );
    expect(text).toMatch(
      new RegExp(`whatsapp_business_account_review_status\\{[^}]*waba_id="${w2}",status="LIMIT_REACHED"\\} 1`),
    );
    const counted = family(text, 'whatsapp_exporter_unknown_enum_values_total').filter((l) => !l.endsWith(' 0'));
    expect(counted).toEqual([]);
  });

  it('every spec enum value of the new fields appears at scale, as _info labels; subscribed apps per WABA', async () => {
    h = await harness({ sandbox: { phoneNumbers: 400, wabas: 100, businesses: 4, templatesPerWaba: 0 } });
    const text = await h.scrape();
    const values = (fam: string, name: string) => new Set(family(text, fam).map((l) => label(l, name)));
    expect(values('whatsapp_phone_number_info', 'account_mode')).toEqual(new Set(['LIVE', 'SANDBOX']));
    expect(values('whatsapp_phone_number_info', 'host_platform')).toEqual(
      new Set(['CLOUD_API', 'ON_PREMISE', 'NOT_APPLICABLE']),
    );
    expect(values('whatsapp_phone_number_info', 'code_verification_status')).toEqual(
      new Set(['VERIFIED', 'NOT_VERIFIED', 'UNVERIFIED', 'EXPIRED']),
    );
    expect(values('whatsapp_phone_number_info', 'unified_cert_status')).toEqual(
      new Set(['APPROVED', 'NAME_PENDING_REVIEW', 'NAME_NOT_APPROVED', 'ACCOUNT_REVIEW_NOT_STARTED', 'LIMITED_ACCESS']),
    );
    expect(values('whatsapp_phone_number_info', 'is_official_business_account')).toEqual(new Set(['true', 'false']));
    expect(values('whatsapp_business_account_info', 'ownership_type')).toEqual(
      new Set(['SELF_OWNED', 'CLIENT_OWNED', 'AGENCY_OWNED']),
    );
    for (const v of ['VERIFIED', 'UNVERIFIED', 'PENDING', 'REJECTED'])
      expect(values('whatsapp_business_account_info', 'business_verification_status')).toContain(v);
    expect(family(text, 'whatsapp_business_account_subscribed_apps')).toHaveLength(100);
    expect(family(text, 'whatsapp_exporter_unknown_enum_values_total').filter((l) => !l.endsWith(' 0'))).toEqual([]);
    // A WABA Meta sends webhooks for to no app reads 0 (the alert's input), at no extra Graph call.
    const [w] = h.sb.state.wabaIds() as [string];
    h.sb.state.setSubscribedApps(w, 0);
    h.sb.stats.reset();
    await h.refresh();
    const calls = h.sb.stats.byKind.subscribed_apps ?? 0;
    const after = await h.scrape();
    expect(after).toMatch(new RegExp(`whatsapp_business_account_subscribed_apps\\{[^}]*waba_id="${w}"\\} 0`));
    expect(calls).toBe(0);
  });
});
