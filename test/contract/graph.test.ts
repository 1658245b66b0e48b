import { afterEach, describe, expect, it } from 'vitest';
import { family, harness, sample, TEST_TOKEN, type Harness } from '../helpers/harness.js';
import { ACCOUNTS } from '../../src/sources/keys.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const up = (text: string, source: string, target: string) =>
  sample(text, `whatsapp_exporter_source_up{source="${source}",target="${target}"}`);

describe('Graph API contract (exporter ↔ sandbox over real HTTP)', () => {
  it('happy path: every account, phone, limit, template and token metric, at batched cost', async () => {
    h = await harness({ sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1, templatesPerWaba: 4 } });
    const text = await h.scrape();
    const [business] = h.sb.state.businessIds();
    const phones = h.sb.state.phoneIds();
    expect(family(text, 'whatsapp_business_account_info')).toHaveLength(3);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(6);
    for (const id of phones) {
      const p = h.sb.state.getPhone(id) as { quality_rating: string };
      const rating = p.quality_rating === 'NA' ? 'UNKNOWN' : p.quality_rating;
      expect(text).toMatch(
        new RegExp(`whatsapp_phone_number_quality_rating\\{[^}]*phone_number_id="${id}",rating="${rating}"\\} 1`),
      );
    }
    // Active state sets (the default): one series per number, its current status.
    expect(family(text, 'whatsapp_phone_number_status').length).toBe(6);
    expect(family(text, 'whatsapp_messaging_limit')).toHaveLength(1);
    expect(text).toContain(`whatsapp_messaging_limit_tier{business_id="${business}",`);
    // Per-template series for the templates that need attention (the default subset); counts for all 12.
    const state = h.sb.state;
    const attention = state
      .wabaIds()
      .flatMap((w) => state.getTemplates(w))
      .filter((t) => t.status !== 'APPROVED' || ['YELLOW', 'RED'].includes(String(t.quality_score?.score)));
    expect(attention.length).toBeGreaterThan(0);
    expect(family(text, 'whatsapp_message_template_status')).toHaveLength(attention.length);
    expect(
      family(text, 'whatsapp_message_templates')
        .map((l) => Number(l.split(' ').pop()))
        .reduce((a, b) => a + b),
    ).toBe(12);
    expect(sample(text, 'whatsapp_access_token_valid{credential="default"}')).toBe(1);
    expect(family(text, 'whatsapp_access_token_expiry_timestamp_seconds')).toHaveLength(1);
    for (const s of ['graph_accounts', 'graph_limits', 'graph_token'])
      expect(
        family(text, 'whatsapp_exporter_source_up').some((l) => l.includes(`source="${s}"`) && l.endsWith(' 1')),
      ).toBe(true);
    expect(
      family(text, 'whatsapp_exporter_source_up').filter((l) => l.includes('graph_templates') && l.endsWith(' 1')),
    ).toHaveLength(3);

    // Cost is behaviour: when every loop is due at once, a full refresh of 1 business / 3 WABAs
    // is one batch (2 listing edges + 3 template edges + 1 portfolio limit) and one debug_token,
    // itself a batch of one so that the token it inspects travels in a POST body (#19, D4).
    h.sb.stats.reset();
    await h.refresh();
    expect(h.sb.stats.httpRequests).toBe(2);
    expect(h.sb.stats.byKind.batch).toBe(2);
    expect(h.sb.stats.byKind.debug_token).toBe(1);
    expect(h.sb.stats.subRequests).toBe(2 + 3 + 1 + 1);
  });

  it('explicit WABA list: one batch for all WABAs', async () => {
    h = await harness({ sandbox: { phoneNumbers: 20, wabas: 10, businesses: 2 }, ids: 'wabas' });
    const text = await h.scrape();
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(20);
    expect(
      new Set(family(text, 'whatsapp_messaging_limit_tier').map((l) => /business_id="(\d+)"/.exec(l)?.[1])).size,
    ).toBe(2);
    h.sb.stats.reset();
    await h.refresh();
    // 10 WABA GETs + 10 template edges + 2 portfolio limits = 22 sub-requests in one batch; debug_token
    // in a batch of its own.
    expect(h.sb.stats.byKind.batch).toBe(2);
    expect(h.sb.stats.subRequests).toBe(22 + 1);
    expect(h.sb.stats.httpRequests).toBe(2);
  });

  it('follows paging across several pages, top-level and nested', async () => {
    h = await harness({
      sandbox: { phoneNumbers: 260, wabas: 5, businesses: 1 },
      config: { graph: { page_limit: 2, retry_base: '10ms', retry_max: '40ms', timeout: '2s', batch_window: '5ms' } },
    });
    const text = await h.scrape();
    expect(family(text, 'whatsapp_business_account_info')).toHaveLength(5);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(260);
    expect(h.sb.stats.byKind.owned_wabas).toBeGreaterThanOrEqual(3);
  });

  it('a failing sub-request in a batch fails only its own target', async () => {
    h = await harness({ sandbox: { phoneNumbers: 6, wabas: 3, businesses: 1 }, ids: 'wabas' });
    const [w1, w2, w3] = h.sb.state.wabaIds() as [string, string, string];
    h.sb.faults.add({ kind: 'permission', match: `${w2}?` });
    h.sb.stats.reset();
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', w1)).toBe(1);
    expect(up(text, 'graph_accounts', w2)).toBe(0);
    expect(up(text, 'graph_accounts', w3)).toBe(1);
    // Its last good data is still served (not stale yet), and the failure is counted by reason.
    expect(text).toContain(`waba_id="${w2}"`);
    expect(
      sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="waba",reason="permission"}'),
    ).toBe(1);
    expect(h.sb.stats.byKind.batch).toBeGreaterThanOrEqual(1);
  });

  it('expired token (190): sources down, last good data kept, token invalid, no retry storm', async () => {
    h = await harness();
    const before = await h.scrape();
    const phones = family(before, 'whatsapp_phone_number_info');
    h.sb.faults.add({ kind: 'token_expired' });
    h.sb.stats.reset();
    await h.refresh();
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', h.sb.state.businessIds()[0] as string)).toBe(0);
    expect(family(text, 'whatsapp_phone_number_info')).toEqual(phones);
    expect(sample(text, 'whatsapp_access_token_valid{credential="default"}')).toBe(0);
    expect(up(text, 'graph_token', 'default')).toBe(1);
    expect(
      family(text, 'whatsapp_exporter_graph_api_request_failures_total').some((l) => l.includes('reason="auth"')),
    ).toBe(true);
    // Auth errors are not retried: at most one HTTP call per batch/loop plus the token re-check.
    expect(h.sb.stats.httpRequests).toBeLessThanOrEqual(4);
    expect(h.logs()).toContain('"code":190');
  });

  it('throttling: the usage header becomes a ratio, the loop pauses until the regain time', async () => {
    h = await harness({ ids: 'wabas', sandbox: { phoneNumbers: 2, wabas: 1 } });
    const [w] = h.sb.state.wabaIds() as [string];
    h.sb.faults.add({ kind: 'throttle', match: w, regainMinutes: 7 });
    await h.refresh();
    let text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(0);
    expect(sample(text, `whatsapp_exporter_graph_api_usage_ratio{business_id="${w}",kind="call_count"}`)).toBe(1);
    expect(
      sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="waba",reason="rate_limited"}'),
    ).toBe(1);
    const entry = h.exp.store.get(ACCOUNTS, w);
    expect((entry?.pausedUntil ?? 0) - (entry?.lastAttempt ?? 0)).toBeGreaterThanOrEqual(7 * 60_000);
    // Paused: further refreshes send nothing for that loop.
    h.sb.stats.reset();
    await h.refresh();
    await h.refresh();
    expect(h.sb.stats.byKind.waba ?? 0).toBe(0);
    text = await h.scrape();
    expect(
      sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="waba",reason="rate_limited"}'),
    ).toBe(1);
  });

  it('5xx: retried with backoff; persistent 5xx marks the source down; then it recovers', async () => {
    h = await harness({ ids: 'wabas', sandbox: { phoneNumbers: 2, wabas: 1 } });
    const [w] = h.sb.state.wabaIds() as [string];
    h.sb.faults.add({ kind: 'http_5xx', match: `${w}?`, times: 1 });
    h.sb.stats.reset();
    await h.refresh();
    let text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(1);
    expect(h.sb.stats.byKind.waba).toBe(2); // the failure and one retry
    const id = h.sb.faults.add({ kind: 'http_5xx', match: `${w}?` });
    h.sb.stats.reset();
    await h.refresh();
    text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(0);
    expect(h.sb.stats.byKind.waba).toBe(3); // max_retries = 2: three attempts, then stop
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(2);
    h.sb.faults.remove(id);
    await h.refresh();
    text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(1);
  });

  it('an HTML error page or truncated JSON is a failure with a reason, never a crash or a zero', async () => {
    h = await harness({ ids: 'wabas', sandbox: { phoneNumbers: 2, wabas: 1 } });
    const [w] = h.sb.state.wabaIds() as [string];
    const before = family(await h.scrape(), 'whatsapp_phone_number_quality_score');
    const html = h.sb.faults.add({ kind: 'html', match: `${w}?` });
    await h.refresh();
    let text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(0);
    expect(family(text, 'whatsapp_phone_number_quality_score')).toEqual(before);
    expect(sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="waba",reason="http_5xx"}')).toBe(
      3,
    );
    h.sb.faults.remove(html);
    h.sb.faults.add({ kind: 'truncated', match: `${w}?` });
    await h.refresh();
    text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(0);
    expect(sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="waba",reason="parse"}')).toBe(1);
    expect(family(text, 'whatsapp_phone_number_quality_score')).toEqual(before);
  });

  it('a slow sub-request times out its batch; retried alone, it cannot sink the others; scrapes answer from cache', async () => {
    h = await harness({
      ids: 'wabas',
      sandbox: { phoneNumbers: 2, wabas: 1 },
      config: { graph: { timeout: '300ms', max_retries: 1, retry_base: '10ms', batch_window: '5ms' } },
    });
    const [w] = h.sb.state.wabaIds() as [string];
    h.sb.faults.add({ kind: 'slow', match: `${w}?`, delayMs: 1_500 });
    const refresh = h.refresh();
    const during = await h.scrape(); // served while the refresh hangs upstream
    expect(family(during, 'whatsapp_phone_number_info')).toHaveLength(2);
    await refresh;
    const text = await h.scrape();
    expect(up(text, 'graph_accounts', w)).toBe(0);
    expect(up(text, 'graph_templates', w)).toBe(1);
    expect(sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="batch",reason="timeout"}')).toBe(
      1,
    );
    expect(sample(text, 'whatsapp_exporter_graph_api_request_failures_total{endpoint="waba",reason="timeout"}')).toBe(
      1,
    );
  });

  it('unknown enum values pass through with value 1 and are counted (full state sets: known states read 0)', async () => {
    h = await harness({ sandbox: { phoneNumbers: 2, wabas: 1 }, config: { metrics: { state_sets: 'full' } } });
    const [p] = h.sb.state.phoneIds() as [string];
    h.sb.state.updatePhone(p, { quality_rating: 'PURPLE', status: 'ON_HOLD' });
    await h.refresh();
    const text = await h.scrape();
    expect(text).toMatch(
      new RegExp(`whatsapp_phone_number_quality_rating\\{[^}]*phone_number_id="${p}",rating="PURPLE"\\} 1`),
    );
    expect(text).toMatch(
      new RegExp(`whatsapp_phone_number_quality_rating\\{[^}]*phone_number_id="${p}",rating="GREEN"\\} 0`),
    );
    expect(text).toMatch(
      new RegExp(`whatsapp_phone_number_status\\{[^}]*phone_number_id="${p}",status="ON_HOLD"\\} 1`),
    );
    expect(text).not.toMatch(new RegExp(`whatsapp_phone_number_quality_score\\{[^}]*phone_number_id="${p}"\\}`));
    // Counted with the value, once per object: another refresh of the same listing adds nothing.
    expect(sample(text, 'whatsapp_exporter_unknown_enum_values_total{field="quality_rating",value="PURPLE"}')).toBe(1);
    expect(sample(text, 'whatsapp_exporter_unknown_enum_values_total{field="status",value="ON_HOLD"}')).toBe(1);
    await h.refresh();
    const again = await h.scrape();
    expect(sample(again, 'whatsapp_exporter_unknown_enum_values_total{field="quality_rating",value="PURPLE"}')).toBe(1);
    expect(sample(again, 'whatsapp_exporter_unknown_enum_values_total{field="status",value="ON_HOLD"}')).toBe(1);
  });

  it('a WABA that disappears takes its series and loops with it; when it returns, they come back', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 1 } });
    const [, gone] = h.sb.state.wabaIds() as [string, string];
    expect((await h.scrape()).includes(`waba_id="${gone}"`)).toBe(true);
    h.sb.state.removeWaba(gone);
    await h.refresh();
    let text = await h.scrape();
    expect(text).not.toContain(`waba_id="${gone}"`);
    expect(text).not.toContain(`target="${gone}"`);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(2);
    h.sb.state.restoreWaba(gone);
    await h.refresh();
    text = await h.scrape();
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(4);
    expect(up(text, 'graph_templates', gone)).toBe(1);
  });

  it('duplicate ids (a WABA owned and shared, a number under two WABAs) are exported once', async () => {
    h = await harness({ sandbox: { phoneNumbers: 4, wabas: 2, businesses: 2 } });
    const [b1, b2] = h.sb.state.businessIds() as [string, string];
    const [w1, w2] = h.sb.state.wabaIds() as [string, string];
    const [p1] = h.sb.state.phoneIds() as [string];
    h.sb.state.shareWabaAsClient(w1, b2);
    h.sb.state.duplicatePhone(p1, w2);
    await h.refresh();
    const text = await h.scrape();
    expect(family(text, 'whatsapp_business_account_info')).toHaveLength(2);
    expect(
      family(text, 'whatsapp_phone_number_info').filter((l) => l.includes(`phone_number_id="${p1}"`)),
    ).toHaveLength(1);
    expect(family(text, 'whatsapp_phone_number_info')).toHaveLength(4);
    expect(b1).not.toBe(b2);
  });

  it('never writes the token to logs, metrics or errors', async () => {
    h = await harness();
    h.sb.faults.add({ kind: 'token_expired' });
    await h.refresh();
    const text = await h.scrape();
    expect(h.logs().length).toBeGreaterThan(500);
    expect(h.logs()).not.toContain(TEST_TOKEN);
    expect(text).not.toContain(TEST_TOKEN);
  });
});
