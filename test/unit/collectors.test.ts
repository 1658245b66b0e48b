import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { collectorFragment } from '../../src/collectors/fragments.js';
import { limitsCollector } from '../../src/collectors/limits.js';
import { phoneNumbersCollector } from '../../src/collectors/phone-numbers.js';
import { healthCollector, MAX_PROBLEM_TARGETS } from '../../src/collectors/health.js';
import { templatesCollector } from '../../src/collectors/templates.js';
import { SnapshotStore } from '../../src/poller/store.js';
import type { AccountsData, PhoneRecord } from '../../src/sources/graph/model.js';
import { ManualClock } from '../../src/util/clock.js';
import { textOf } from '../../src/metrics/render.js';
import type { SourceKey } from '../../src/sources/key.js';
import { ACCOUNTS, BALANCE, LIMITS, TEMPLATES, TOKEN } from '../../src/sources/keys.js';

const logger = pino({ level: 'silent' });
const phone = (id: string, waba: string, patch: Partial<PhoneRecord> = {}): PhoneRecord => ({
  id,
  wabaId: waba,
  businessId: 'b1',
  displayPhoneNumber: '+1 555',
  verifiedName: 'N "quoted" \\ name',
  platformType: 'CLOUD_API',
  status: 'CONNECTED',
  qualityRating: 'GREEN',
  ...patch,
});

function setup() {
  const clock = new ManualClock(1_000_000);
  const store = new SnapshotStore();
  const put = <T>(key: SourceKey<T>, target: string, data: T, maxStalenessMs = 60_000) =>
    store.update(key, target, () => ({
      source: key.name,
      target,
      intervalMs: 10_000,
      maxStalenessMs,
      data,
      lastSuccess: clock.now(),
      lastAttempt: clock.now(),
      durationMs: 12,
      up: true,
    }));
  const render = async (c: Parameters<typeof collectorFragment>[0]) =>
    textOf(await collectorFragment(c, store, clock, logger).render());
  return { clock, store, put, render };
}

const lines = (text: string, prefix: string) => text.split('\n').filter((l) => l.startsWith(prefix));

describe('phone number collector', () => {
  it('exports state sets, an unknown state as-is, and no made-up values for missing fields', async () => {
    const { put, render } = setup();
    const accounts: AccountsData = {
      wabas: [
        {
          id: 'w1',
          businessId: 'b1',
          name: 'W',
          currency: 'USD',
          timezoneId: '1',
          phones: [phone('p1', 'w1'), phone('p2', 'w1', { qualityRating: 'PURPLE', status: undefined })],
        },
        // The same number listed again under another WABA must not be exported twice.
        { id: 'w2', businessId: 'b1', name: 'W2', currency: 'USD', timezoneId: '1', phones: [phone('p1', 'w2')] },
      ],
    };
    put(ACCOUNTS, 'b1', accounts);
    const text = await render(phoneNumbersCollector);
    expect(lines(text, 'whatsapp_phone_number_quality_rating{')).toEqual([
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p1",rating="GREEN"} 1',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p1",rating="YELLOW"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p1",rating="RED"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p1",rating="UNKNOWN"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p2",rating="GREEN"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p2",rating="YELLOW"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p2",rating="RED"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p2",rating="UNKNOWN"} 0',
      'whatsapp_phone_number_quality_rating{business_id="b1",waba_id="w1",phone_number_id="p2",rating="PURPLE"} 1',
    ]);
    expect(lines(text, 'whatsapp_phone_number_quality_score{')).toEqual([
      'whatsapp_phone_number_quality_score{business_id="b1",waba_id="w1",phone_number_id="p1"} 3',
    ]);
    expect(lines(text, 'whatsapp_phone_number_status{').filter((l) => l.includes('"p2"'))).toEqual([]);
    expect(text).toContain('verified_name="N \\"quoted\\" \\\\ name"');
    expect(text).toContain('# HELP whatsapp_phone_number_status ');
    expect(text).toContain('# TYPE whatsapp_phone_number_status gauge');
  });

  it('drops data older than max_staleness', async () => {
    const { put, render, clock } = setup();
    put(
      ACCOUNTS,
      'b1',
      {
        wabas: [
          { id: 'w1', businessId: 'b1', name: 'W', currency: 'USD', timezoneId: '1', phones: [phone('p1', 'w1')] },
        ],
      },
      5_000,
    );
    expect(await render(phoneNumbersCollector)).toContain('phone_number_id="p1"');
    clock.advance(5_001);
    expect(await render(phoneNumbersCollector)).not.toContain('phone_number_id="p1"');
  });
});

describe('state-set modes', () => {
  it('active exports only the current state (the value-1 rows of full); switching modes re-renders cached groups', async () => {
    const { store, clock, put } = setup();
    put(ACCOUNTS, 'b1', {
      wabas: [{ id: 'w1', businessId: 'b1', name: 'W', currency: 'USD', timezoneId: '1', phones: [phone('p1', 'w1')] }],
    });
    let mode: 'active' | 'full' = 'full';
    const f = collectorFragment(phoneNumbersCollector, store, clock, logger, () => ({ stateSets: mode }));
    const full = textOf(await f.render());
    const rating = (t: string) => lines(t, 'whatsapp_phone_number_quality_rating{');
    expect(rating(full).length).toBeGreaterThan(1);
    mode = 'active';
    const active = textOf(await f.render());
    expect(rating(active)).toEqual(rating(full).filter((l) => l.endsWith(' 1')));
    expect(active.split('\n').filter((l) => !l.startsWith('#') && l.endsWith(' 0') && l.includes('status'))).toEqual(
      [],
    );
    mode = 'full';
    expect(textOf(await f.render())).toBe(full);
  });
});

describe('limits collector', () => {
  it('prefers the portfolio field, falls back to the highest legacy per-number tier, +Inf for unlimited, none for UNTIERED', async () => {
    const { put, render } = setup();
    put(LIMITS, 'b1', { businessId: 'b1', tier: 'TIER_UNLIMITED' });
    put(LIMITS, 'b3', { businessId: 'b3', tier: 'UNTIERED' });
    put(ACCOUNTS, 'b2', {
      wabas: [
        {
          id: 'w9',
          businessId: 'b2',
          name: '',
          currency: 'EUR',
          timezoneId: '',
          phones: [
            phone('p8', 'w9', { businessId: 'b2', legacyTier: 'TIER_250' }),
            phone('p9', 'w9', { businessId: 'b2', legacyTier: 'TIER_1K' }),
          ],
        },
      ],
    });
    const text = await render(limitsCollector);
    expect(lines(text, 'whatsapp_messaging_limit{')).toEqual([
      'whatsapp_messaging_limit{business_id="b1"} +Inf',
      'whatsapp_messaging_limit{business_id="b2"} 1000',
    ]);
    expect(lines(text, 'whatsapp_messaging_limit_tier{business_id="b2"')).toContain(
      'whatsapp_messaging_limit_tier{business_id="b2",tier="TIER_1K"} 1',
    );
    expect(lines(text, 'whatsapp_messaging_limit_tier{business_id="b3"')).toContain(
      'whatsapp_messaging_limit_tier{business_id="b3",tier="UNTIERED"} 1',
    );
  });
});

describe('templates and health collectors', () => {
  it('counts templates by category and status; per-template series can be switched off', async () => {
    const { put, render } = setup();
    put(TEMPLATES, 'w1', {
      wabaId: 'w1',
      businessId: 'b1',
      templates: [
        { id: '1', name: 'a', language: 'en', status: 'APPROVED', category: 'MARKETING', quality: 'GREEN' },
        { id: '2', name: 'b', language: 'en', status: 'APPROVED', category: 'MARKETING', quality: 'UNKNOWN' },
        { id: '3', name: 'c', language: 'de', status: 'PAUSED', category: 'MARKETING', quality: 'RED' },
      ],
    });
    const on = await render(templatesCollector(() => true));
    expect(lines(on, 'whatsapp_message_templates{')).toEqual([
      'whatsapp_message_templates{business_id="b1",waba_id="w1",category="MARKETING",status="APPROVED"} 2',
      'whatsapp_message_templates{business_id="b1",waba_id="w1",category="MARKETING",status="PAUSED"} 1',
    ]);
    expect(on).toContain(
      'whatsapp_message_template_status{business_id="b1",waba_id="w1",template_name="c",language="de",category="MARKETING",status="PAUSED"} 1',
    );
    expect(on).toContain(
      'whatsapp_message_template_quality_score{business_id="b1",waba_id="w1",template_name="c",language="de"} 1',
    );
    const off = await render(templatesCollector(() => false));
    expect(off).toContain('whatsapp_message_templates{');
    expect(off).not.toContain('whatsapp_message_template_status{');
  });

  it('health: targets by state per source; per-target series for failing and stale targets only; none for a never-attempted loop', async () => {
    const { clock, store, put, render } = setup();
    put(TOKEN, 'default', { credential: 'default', valid: true });
    put(TOKEN, 'late', { credential: 'late', valid: true });
    store.update(BALANCE, 'acct', () => ({ source: 'billing', target: 'acct', intervalMs: 60_000, maxStalenessMs: 1 }));
    clock.advance(15_000);
    put(TOKEN, 'default', { credential: 'default', valid: true });
    store.update(TOKEN, 'broken', () => ({
      source: 'graph_token',
      target: 'broken',
      intervalMs: 10_000,
      maxStalenessMs: 60_000,
      lastSuccess: 990_000,
      lastAttempt: clock.now(),
      durationMs: 7,
      up: false,
    }));
    clock.advance(10_000); // "late" last succeeded 25 s ago: more than 2 intervals of 10 s
    const text = await render(healthCollector());
    const rows = (f: string) => text.split('\n').filter((l) => l.startsWith(`${f}{`));
    expect(rows('whatsapp_exporter_source_targets')).toEqual([
      'whatsapp_exporter_source_targets{source="graph_token",state="up"} 1',
      'whatsapp_exporter_source_targets{source="graph_token",state="failing"} 1',
      'whatsapp_exporter_source_targets{source="graph_token",state="stale"} 1',
      'whatsapp_exporter_source_targets{source="graph_token",state="pending"} 0',
      'whatsapp_exporter_source_targets{source="billing",state="up"} 0',
      'whatsapp_exporter_source_targets{source="billing",state="failing"} 0',
      'whatsapp_exporter_source_targets{source="billing",state="stale"} 0',
      'whatsapp_exporter_source_targets{source="billing",state="pending"} 1',
    ]);
    expect(rows('whatsapp_exporter_source_oldest_success_timestamp_seconds')).toEqual([
      'whatsapp_exporter_source_oldest_success_timestamp_seconds{source="graph_token"} 990',
    ]);
    expect(rows('whatsapp_exporter_source_up')).toEqual([
      'whatsapp_exporter_source_up{source="graph_token",target="late"} 1',
      'whatsapp_exporter_source_up{source="graph_token",target="broken"} 0',
    ]);
    expect(text).toContain(
      'whatsapp_exporter_source_last_success_timestamp_seconds{source="graph_token",target="late"} 1000',
    );
    expect(text).toContain(
      'whatsapp_exporter_source_refresh_duration_seconds{source="graph_token",target="broken"} 0.007',
    );
    expect(text).toContain(
      'whatsapp_exporter_source_refresh_interval_seconds{source="graph_token",target="broken"} 10',
    );
    expect(text).not.toContain('target="default"');
    expect(text).not.toContain('target="acct"');
  });

  it('health: past MAX_PROBLEM_TARGETS failing targets per source, the rest is counted, not exported, and reported', async () => {
    const { clock, store, render } = setup();
    for (let i = 0; i < MAX_PROBLEM_TARGETS + 5; i++)
      store.update(TOKEN, `t${i}`, () => ({
        source: 'graph_token',
        target: `t${i}`,
        intervalMs: 10_000,
        maxStalenessMs: 60_000,
        lastAttempt: clock.now(),
        up: false,
      }));
    const capped: Array<[string, number]> = [];
    const text = await render(healthCollector((source, n) => capped.push([source, n])));
    expect(text.split('\n').filter((l) => l.startsWith('whatsapp_exporter_source_up{'))).toHaveLength(
      MAX_PROBLEM_TARGETS,
    );
    expect(text).toContain(
      `whatsapp_exporter_source_targets{source="graph_token",state="failing"} ${MAX_PROBLEM_TARGETS + 5}`,
    );
    expect(capped).toEqual([['graph_token', MAX_PROBLEM_TARGETS + 5]]);
  });
});
