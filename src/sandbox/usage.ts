/**
 * Rolling-hour call accounting behind Meta's usage headers (META-API §5.1/5.2). Counts live in
 * 60 one-minute buckets per business object (WABA or business id), measured with the injected
 * clock, so memory stays constant however long the bench runs and a ManualClock can move a
 * test an hour forward. Header values are percentages of the hourly budget, like Meta's.
 */
import type { Clock } from '../util/clock.js';

const WINDOW_MIN = 60;

export interface BucUsage {
  type: 'whatsapp_business_management';
  call_count: number;
  total_cputime: number;
  total_time: number;
  estimated_time_to_regain_access: number;
}

export class UsageMeter {
  private readonly perObject = new Map<string, Window>();
  private readonly app = new Window();

  constructor(
    private readonly clock: Clock,
    private readonly hourlyBudget: number,
    private readonly appHourlyBudget: number,
  ) {}

  /** Charges one call to the app and, when the request touched one, to the business object. */
  record(objectId: string | undefined): void {
    const minute = this.minute();
    this.app.add(minute);
    if (objectId === undefined) return;
    let w = this.perObject.get(objectId);
    if (!w) this.perObject.set(objectId, (w = new Window()));
    w.add(minute);
  }

  exhausted(objectId: string): boolean {
    return (this.perObject.get(objectId)?.sum(this.minute()) ?? 0) >= this.hourlyBudget;
  }

  buc(objectId: string): BucUsage {
    const minute = this.minute();
    const w = this.perObject.get(objectId);
    const pct = percent(w?.sum(minute) ?? 0, this.hourlyBudget);
    return {
      type: 'whatsapp_business_management',
      call_count: pct,
      // Meta's cpu/time figures track call volume loosely; a fixed fraction is close enough.
      total_cputime: Math.floor(pct * 0.4),
      total_time: Math.floor(pct * 0.6),
      estimated_time_to_regain_access: pct >= 100 && w ? w.minutesUntilBelow(minute, this.hourlyBudget) : 0,
    };
  }

  /** `X-Business-Use-Case-Usage` value; `forced` replaces the usage (the throttle fault). */
  bucHeader(objectId: string, forced?: Partial<BucUsage>): string {
    return JSON.stringify({ [objectId]: [{ ...this.buc(objectId), ...forced }] });
  }

  appHeader(): string {
    const pct = percent(this.app.sum(this.minute()), this.appHourlyBudget);
    return JSON.stringify({ call_count: pct, total_cputime: Math.floor(pct * 0.4), total_time: Math.floor(pct * 0.6) });
  }

  reset(): void {
    this.perObject.clear();
    this.app.clear();
  }

  private minute(): number {
    return Math.floor(this.clock.now() / 60_000);
  }
}

function percent(count: number, budget: number): number {
  return budget <= 0 ? 100 : Math.min(100, Math.floor((count * 100) / budget));
}

/** Ring of per-minute counts; a slot is stale when its minute left the window. */
class Window {
  private readonly minutes = new Float64Array(WINDOW_MIN).fill(-Infinity);
  private readonly counts = new Uint32Array(WINDOW_MIN);

  add(minute: number): void {
    const slot = minute % WINDOW_MIN;
    if (this.minutes[slot] !== minute) {
      this.minutes[slot] = minute;
      this.counts[slot] = 0;
    }
    this.counts[slot]! += 1;
  }

  sum(minute: number): number {
    let total = 0;
    for (let s = 0; s < WINDOW_MIN; s++) if (this.minutes[s]! > minute - WINDOW_MIN) total += this.counts[s]!;
    return total;
  }

  /** Minutes until enough old buckets expire for the count to drop below the budget. */
  minutesUntilBelow(minute: number, budget: number): number {
    let total = this.sum(minute);
    for (let m = minute - WINDOW_MIN + 1; m <= minute; m++) {
      const slot = ((m % WINDOW_MIN) + WINDOW_MIN) % WINDOW_MIN;
      if (this.minutes[slot] === m) total -= this.counts[slot]!;
      if (total < budget) return m + WINDOW_MIN - minute;
    }
    return WINDOW_MIN;
  }

  clear(): void {
    this.minutes.fill(-Infinity);
    this.counts.fill(0);
  }
}
