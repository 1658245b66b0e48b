import type { BusinessEntry, PhoneEntry, PhoneWire, Population, TemplateEntry, TemplateWire } from './types.js';
import type { WalletOptions } from './wallet.js';

/**
 * The scripted demo (scenario 'demo'): a repeating 40-minute story that a newcomer can follow in
 * Alertmanager, where each alert of the story fires once per cycle, in this order, and nothing
 * else fires. Pure: the frame is a function of the time since the sandbox started, the wallet's
 * balance is a function of the clock (DEMO_WALLET), and the state applies the frame.
 *
 * The cast: the first number, the first business portfolio, the first MARKETING template of the
 * first WABA, and the sandbox wallet (thresholds low 100 / critical 25, src/config/sandbox.ts).
 * Everyone else is calm (castDemo). Minutes of firing assume the shipped `for:` durations
 * (src/policy/alerts.ts); the pipeline (poll, scrape, evaluation, group_wait) adds about a minute.
 *
 * | minute | change                                              | fires (for)                                         |
 * |--------|-----------------------------------------------------|-----------------------------------------------------|
 * | 0      | number YELLOW; balance 121 USD, spending 3 USD/min   |                                                     |
 * | 7      | balance below low (100)                             |                                                     |
 * | 12     |                                                     | WhatsAppCreditBalanceLow, warning (5m)              |
 * | 15     |                                                     | WhatsAppQualityRatingYellow, warning (15m)          |
 * | 18     | number RED (health LIMITED)                         | Yellow resolves                                     |
 * | 21     | template PAUSED                                     |                                                     |
 * | 23     |                                                     | WhatsAppQualityRatingRed, critical (5m)             |
 * | 24     | portfolio TIER_10K → TIER_2K                        |                                                     |
 * | 26     | number GREEN                                        | Red resolves; WhatsAppTemplatePaused, warning (5m)  |
 * | 29     | template APPROVED                                   | Paused resolves                                     |
 * | 32     | balance below critical (25)                         | the low warning gives way to…                       |
 * | 34     |                                                     | WhatsAppMessagingLimitDecreased, warning (10m)      |
 * | 37     |                                                     | …WhatsAppCreditBalanceLow, critical (5m): the page  |
 * | 38     | portfolio TIER_10K again                            | LimitDecreased resolves                             |
 * | 40 = 0 | top-up of 120 USD at 1 USD left                     | the balance alerts resolve; the story starts again  |
 *
 * Stays quiet on purpose: WhatsAppCreditBalanceRunwayShort (the balance is above low 7 minutes of
 * 40, its `for` is 30m), WhatsAppSendingLimited (LIMITED for 8 minutes, `for` 15m),
 * WhatsAppCreditBalanceExhausted (the top-up comes at 1 USD), and everything the webhook traffic
 * could trigger (webhooks.ts: no 131042, 2 % failures), and the demo's Meta credit line (its
 * headroom never moves, far above its thresholds; never revoked). Every state is held at least 2 minutes
 * longer than its alert's `for` (or 2 minutes shorter when it must not fire), so the pipeline's
 * delays cannot reorder the story; test/sandbox/demo-story.test.ts checks all of this against
 * the policy table.
 */
export const DEMO_CYCLE_MINUTES = 40;

export interface DemoFrame {
  phoneQuality: string;
  businessLimit: string;
  templateStatus: string;
}

type DemoStep = { at: number } & Partial<DemoFrame>;

export const DEMO_TIMELINE: readonly DemoStep[] = [
  { at: 0, phoneQuality: 'YELLOW', businessLimit: 'TIER_10K', templateStatus: 'APPROVED' },
  { at: 18, phoneQuality: 'RED' },
  { at: 21, templateStatus: 'PAUSED' },
  { at: 24, businessLimit: 'TIER_2K' },
  { at: 26, phoneQuality: 'GREEN' },
  { at: 29, templateStatus: 'APPROVED' },
  { at: 38, businessLimit: 'TIER_10K' },
];

/** Spend per minute: slow enough that below-critical lasts longer than its `for` before the top-up. */
const DEMO_BURN_PER_MINUTE = 3;
/** What is left when the cycle's top-up lands: above zero, so the balance is never exhausted. */
const DEMO_LEFT_AT_TOP_UP = 1;

/**
 * The demo wallet: 121 USD at minute 0, 3 USD a minute, and at the end of every cycle a top-up of
 * exactly one cycle's spend, so every cycle's balance is the same line (121 − 3 × minute).
 */
export const DEMO_WALLET: WalletOptions = {
  initial: DEMO_LEFT_AT_TOP_UP + DEMO_BURN_PER_MINUTE * DEMO_CYCLE_MINUTES,
  burnPerMinute: DEMO_BURN_PER_MINUTE,
  refill: { everyMinutes: DEMO_CYCLE_MINUTES, amount: DEMO_BURN_PER_MINUTE * DEMO_CYCLE_MINUTES },
};

/** The frame in force `elapsedMs` after the sandbox started (negative elapsed = start of cycle). */
export function demoFrameAt(elapsedMs: number): DemoFrame {
  const cycleMs = DEMO_CYCLE_MINUTES * 60_000;
  const minute = (((Math.max(0, elapsedMs) % cycleMs) + cycleMs) % cycleMs) / 60_000;
  const frame = { ...withoutAt(DEMO_TIMELINE[0] as DemoStep) } as DemoFrame;
  for (const step of DEMO_TIMELINE) {
    if (step.at > minute) break;
    Object.assign(frame, withoutAt(step));
  }
  return frame;
}

function withoutAt({ at: _at, ...rest }: DemoStep): Partial<DemoFrame> {
  return rest;
}

/** The objects the timeline drives. */
export interface DemoCast {
  phone?: PhoneEntry;
  business?: BusinessEntry;
  template?: TemplateEntry;
}

/**
 * Picks the cast and calms everyone else, in place. The population places a YELLOW number and a
 * PAUSED template on purpose (for tests and the bench); in the demo they would fire for as long as
 * it runs and teach that alerts can be ignored. Values that alert nothing stay for variety (the
 * NA number, REJECTED and PENDING templates, random tiers).
 */
export function castDemo(pop: Population): DemoCast {
  const cast: DemoCast = {
    phone: pop.phones[0],
    business: pop.businesses[0],
    template: pop.wabas[0]?.templates.find((t) => t.wire.category === 'MARKETING'),
  };
  for (const p of pop.phones) if (p !== cast.phone) calmPhone(p.wire);
  for (const w of pop.wabas) {
    // A WABA under review makes every number under it LIMITED (WhatsAppSendingLimited).
    w.wire.account_review_status = 'APPROVED';
    for (const t of w.templates) if (t !== cast.template) calmTemplate(t.wire);
  }
  return cast;
}

function calmPhone(w: PhoneWire): void {
  if (w.quality_rating === 'YELLOW' || w.quality_rating === 'RED') w.quality_rating = 'GREEN';
  // RESTRICTED alerts as not connected; PENDING and a name under review make the number LIMITED.
  w.status = 'CONNECTED';
  w.name_status = 'APPROVED';
}

function calmTemplate(w: TemplateWire): void {
  if (w.status !== 'PAUSED' && w.status !== 'DISABLED') return;
  w.status = 'APPROVED';
  w.quality_score = { ...w.quality_score, score: 'GREEN' };
}
