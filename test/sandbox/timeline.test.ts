import { describe, expect, it } from 'vitest';
import { demoFrameAt, startSandbox } from '../../src/sandbox/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { get, V } from './helpers.js';

const MIN = 60_000;

describe('demo timeline', () => {
  it.each([
    [0, 'GREEN', 'TIER_10K', 'APPROVED'],
    [1.99, 'GREEN', 'TIER_10K', 'APPROVED'],
    [2, 'YELLOW', 'TIER_10K', 'APPROVED'],
    [3, 'YELLOW', 'TIER_10K', 'PAUSED'],
    [5, 'RED', 'TIER_10K', 'PAUSED'],
    [6, 'RED', 'TIER_2K', 'PAUSED'],
    [8, 'RED', 'TIER_2K', 'APPROVED'],
    [9, 'GREEN', 'TIER_2K', 'APPROVED'],
    [10, 'GREEN', 'TIER_10K', 'APPROVED'],
    [12, 'GREEN', 'TIER_10K', 'APPROVED'],
    [12 + 5.5, 'RED', 'TIER_10K', 'PAUSED'],
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
      expect(await read()).toEqual({ quality: 'GREEN', health: 'AVAILABLE', limit: 'TIER_10K', marketing: 'APPROVED' });
      clock.advance(2 * MIN);
      expect((await read()).quality).toBe('YELLOW');
      clock.advance(1 * MIN);
      expect((await read()).marketing).toBe('PAUSED');
      clock.advance(2 * MIN);
      expect(await read()).toMatchObject({ quality: 'RED', health: 'LIMITED' });
      clock.advance(1 * MIN);
      expect((await read()).limit).toBe('TIER_2K');
      expect(
        (await get(sb, `/${V}/${phone}?fields=whatsapp_business_manager_messaging_limit`)).json
          .whatsapp_business_manager_messaging_limit,
      ).toBe('TIER_2K');
      clock.advance(3 * MIN);
      expect(await read()).toEqual({ quality: 'GREEN', health: 'AVAILABLE', limit: 'TIER_2K', marketing: 'APPROVED' });
      clock.advance(1 * MIN);
      expect((await read()).limit).toBe('TIER_10K');
      // tick() only writes on a frame change, so a test's own patch survives until then.
      sb.state.updatePhone(phone, { quality_rating: 'PURPLE' });
      expect((await read()).quality).toBe('PURPLE');
      clock.advance(4 * MIN); // minute 14 = minute 2 of the next cycle
      expect((await read()).quality).toBe('YELLOW');
    } finally {
      await sb.close();
    }
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
