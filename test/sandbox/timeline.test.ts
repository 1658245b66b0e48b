import { describe, expect, it } from 'vitest';
import {
  createSandboxState,
  createSandboxWallet,
  DEMO_CYCLE_MINUTES,
  demoFrameAt,
  startSandbox,
} from '../../src/sandbox/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { get, V } from './helpers.js';

const MIN = 60_000;

describe('demo timeline', () => {
  it.each([
    [0, 'YELLOW', 'TIER_10K', 'APPROVED'],
    [17.99, 'YELLOW', 'TIER_10K', 'APPROVED'],
    [18, 'RED', 'TIER_10K', 'APPROVED'],
    [21, 'RED', 'TIER_10K', 'PAUSED'],
    [24, 'RED', 'TIER_2K', 'PAUSED'],
    [26, 'GREEN', 'TIER_2K', 'PAUSED'],
    [29, 'GREEN', 'TIER_2K', 'APPROVED'],
    [38, 'GREEN', 'TIER_10K', 'APPROVED'],
    [39.99, 'GREEN', 'TIER_10K', 'APPROVED'],
    [40, 'YELLOW', 'TIER_10K', 'APPROVED'],
    [40 + 21.5, 'RED', 'TIER_10K', 'PAUSED'],
  ])('minute %s → %s / %s / template %s', (minute, phoneQuality, businessLimit, templateStatus) => {
    expect(demoFrameAt(minute * MIN)).toEqual({ phoneQuality, businessLimit, templateStatus });
  });

  it('drives the wire through a ManualClock, lazily on each request', async () => {
    const clock = new ManualClock();
    const sb = await startSandbox({ clock, scenario: 'demo' });
    try {
      const phone = sb.state.phoneIds()[0]!;
      const waba = sb.state.wabaIds()[0]!;
      const read = async () => {
        const r = await get(
          sb,
          `/${V}/${waba}?fields=whatsapp_business_manager_messaging_limit,phone_numbers.limit(1){quality_rating,health_status{can_send_message}},message_templates{category,status}`,
        );
        return {
          quality: r.json.phone_numbers.data[0].quality_rating,
          health: r.json.phone_numbers.data[0].health_status.can_send_message,
          limit: r.json.whatsapp_business_manager_messaging_limit,
          marketing: r.json.message_templates.data.find((t: { category: string }) => t.category === 'MARKETING').status,
        };
      };
      expect(await read()).toEqual({
        quality: 'YELLOW',
        health: 'AVAILABLE',
        limit: 'TIER_10K',
        marketing: 'APPROVED',
      });
      clock.advance(18 * MIN);
      expect(await read()).toMatchObject({ quality: 'RED', health: 'LIMITED' });
      clock.advance(3 * MIN);
      expect((await read()).marketing).toBe('PAUSED');
      clock.advance(3 * MIN);
      expect((await read()).limit).toBe('TIER_2K');
      expect(
        (await get(sb, `/${V}/${phone}?fields=whatsapp_business_manager_messaging_limit`)).json
          .whatsapp_business_manager_messaging_limit,
      ).toBe('TIER_2K');
      clock.advance(2 * MIN);
      expect(await read()).toEqual({ quality: 'GREEN', health: 'AVAILABLE', limit: 'TIER_2K', marketing: 'PAUSED' });
      clock.advance(3 * MIN);
      expect((await read()).marketing).toBe('APPROVED');
      clock.advance(9 * MIN);
      expect((await read()).limit).toBe('TIER_10K');
      // tick() only writes on a frame change, so a test's own patch survives until then.
      sb.state.updatePhone(phone, { quality_rating: 'PURPLE' });
      expect((await read()).quality).toBe('PURPLE');
      clock.advance(2 * MIN); // minute 40 = minute 0 of the next cycle
      expect((await read()).quality).toBe('YELLOW');
    } finally {
      await sb.close();
    }
  });

  it('serves a wallet that falls 3 USD a minute and is topped up at 1 USD left, every cycle', async () => {
    const clock = new ManualClock();
    const sb = await startSandbox({ clock, scenario: 'demo' });
    try {
      const balance = async () => Number((await get(sb, '/wallet/v1/balance')).json.balance);
      expect(await balance()).toBe(121);
      clock.advance(7 * MIN);
      expect(await balance()).toBe(100);
      clock.advance(25 * MIN);
      expect(await balance()).toBe(25);
      clock.advance(8 * MIN - 1_000);
      expect(await balance()).toBe(1.05);
      clock.advance(1_000);
      expect(await balance()).toBe(121);
      const rows = (await get(sb, '/wallet/v1/statement')).json.rows as Array<{ id: string; type: string }>;
      expect(rows.filter((r) => r.type === 'credit').map((r) => r.id)).toEqual(['credit-0', 'credit-refill-1']);
      // The same line in every cycle: the schedule, not a timer, tops up.
      clock.advance(DEMO_CYCLE_MINUTES * 10 * MIN + 32 * MIN);
      expect(await balance()).toBe(25);
    } finally {
      await sb.close();
    }
  });

  it('calms everyone outside the cast: no alert fires for them while the demo runs', () => {
    const clock = new ManualClock();
    const sizes = { phoneNumbers: 200, wabas: 41, businesses: 3 };
    const calm = createSandboxState({ clock, scenario: 'demo', ...sizes });
    const plain = createSandboxState({ clock, scenario: 'static', ...sizes });
    const phones = (s: typeof calm) => s.phoneIds().map((id) => s.getPhone(id)!);
    const templates = (s: typeof calm) => s.wabaIds().flatMap((w) => s.getTemplates(w));
    // The generated population has all of these (test/sandbox/population.test.ts)…
    expect(phones(plain).some((p) => p.quality_rating === 'YELLOW')).toBe(true);
    expect(phones(plain).some((p) => p.status !== 'CONNECTED')).toBe(true);
    expect(phones(plain).some((p) => p.name_status !== 'APPROVED')).toBe(true);
    expect(templates(plain).some((t) => t.status === 'PAUSED')).toBe(true);
    expect(plain.wabaIds().some((w) => plain.getWaba(w)!.account_review_status !== 'APPROVED')).toBe(true);
    // …and the demo keeps only what alerts nothing, besides its cast (number 0, YELLOW at minute 0).
    const [cast, ...rest] = phones(calm);
    expect(cast!.quality_rating).toBe('YELLOW');
    expect(new Set(rest.map((p) => p.quality_rating))).toEqual(new Set(['GREEN', 'NA']));
    expect(new Set(phones(calm).map((p) => `${p.status} ${p.name_status}`))).toEqual(new Set(['CONNECTED APPROVED']));
    expect(new Set(templates(calm).map((t) => t.status))).toEqual(new Set(['APPROVED', 'REJECTED', 'PENDING']));
    expect(new Set(calm.wabaIds().map((w) => calm.getWaba(w)!.account_review_status))).toEqual(new Set(['APPROVED']));
  });

  it('gives the static scenario the plain wallet (no top-ups)', () => {
    const clock = new ManualClock();
    const wallet = createSandboxWallet({ clock });
    expect(Number(wallet.balanceMicros()) / 1e6).toBe(180);
    clock.advance(60 * MIN);
    expect(Number(wallet.balanceMicros()) / 1e6).toBe(0);
  });

  it('does nothing in the static scenario', async () => {
    const clock = new ManualClock();
    const sb = await startSandbox({ clock });
    try {
      clock.advance(5 * MIN);
      sb.state.tick();
      expect(sb.state.getPhone(sb.state.phoneIds()[0]!)!.quality_rating).toBe('GREEN');
    } finally {
      await sb.close();
    }
  });
});
