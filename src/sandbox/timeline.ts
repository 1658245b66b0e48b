/**
 * The scripted demo (scenario 'demo'): a repeating 12-minute cycle that makes every dashboard
 * panel and alert move while nobody touches anything. Pure: the state applies the frame.
 *
 * | minute | change                                                      |
 * |--------|-------------------------------------------------------------|
 * | 0      | first number GREEN, first business TIER_10K, template APPROVED |
 * | 2      | first number YELLOW                                          |
 * | 3      | first MARKETING template of the first WABA PAUSED            |
 * | 5      | first number RED (its health_status turns LIMITED)           |
 * | 6      | first business TIER_2K                                       |
 * | 8      | template APPROVED again                                      |
 * | 9      | first number GREEN again                                     |
 * | 10     | first business TIER_10K again                                |
 */
export const DEMO_CYCLE_MINUTES = 12;

export interface DemoFrame {
  phoneQuality: string;
  businessLimit: string;
  templateStatus: string;
}

type DemoStep = { at: number } & Partial<DemoFrame>;

export const DEMO_TIMELINE: readonly DemoStep[] = [
  { at: 0, phoneQuality: 'GREEN', businessLimit: 'TIER_10K', templateStatus: 'APPROVED' },
  { at: 2, phoneQuality: 'YELLOW' },
  { at: 3, templateStatus: 'PAUSED' },
  { at: 5, phoneQuality: 'RED' },
  { at: 6, businessLimit: 'TIER_2K' },
  { at: 8, templateStatus: 'APPROVED' },
  { at: 9, phoneQuality: 'GREEN' },
  { at: 10, businessLimit: 'TIER_10K' },
];

/** The frame in force `elapsedMs` after the sandbox started (negative elapsed = start of cycle). */
export function demoFrameAt(elapsedMs: number): DemoFrame {
  const cycleMs = DEMO_CYCLE_MINUTES * 60_000;
  const minute = (((Math.max(0, elapsedMs) % cycleMs) + cycleMs) % cycleMs) / 60_000;
  const frame: DemoFrame = { phoneQuality: 'GREEN', businessLimit: 'TIER_10K', templateStatus: 'APPROVED' };
  for (const step of DEMO_TIMELINE) {
    if (step.at > minute) break;
    Object.assign(frame, withoutAt(step));
  }
  return frame;
}

function withoutAt({ at: _at, ...rest }: DemoStep): Partial<DemoFrame> {
  return rest;
}
