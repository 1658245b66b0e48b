/**
 * The alert policy as the dashboards use it: thresholds for panel lines and colours, and the
 * words panel descriptions use for them. Values come from src/policy (the table the rules are
 * generated from), so a changed threshold moves the dashboards' lines and text with it.
 */
import { RECORDING_WINDOWS, type Severity } from '../../src/policy/index.js';

export { ALERT_POLICY as A, DISPLAY_BANDS, durationSeconds, runbookUrl } from '../../src/policy/index.js';

/** The spend rate window, as the credit panels' sentences say it ("the last 6h"). */
export const SPEND_WINDOW = RECORDING_WINDOWS.spendRateWindow;
/** The failure ratio window of business_id:whatsapp_message_failure:ratio30m. */
export const FAILURE_WINDOW = RECORDING_WINDOWS.failureRatioWindow;

export { pct } from '../../src/policy/index.js';

/** What an alert of this severity does, for "… for 5m pages." sentences. */
export const VERB: Readonly<Record<Severity, string>> = { critical: 'pages', warning: 'warns', info: 'notes' };

/** "critical" → "Critical", for sentences that start with a severity. */
export const capitalized = (s: Severity): string => s.charAt(0).toUpperCase() + s.slice(1);

const UNIT_WORDS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };

/** A one-unit Prometheus duration in words: "7d" → "7 days", "30m" → "30 minutes". */
export function durationWords(d: string): string {
  const m = /^(\d+)([smhdw])$/.exec(d);
  const n = m?.[1];
  const unit = m?.[2] === undefined ? undefined : UNIT_WORDS[m[2]];
  if (n === undefined || unit === undefined) throw new Error(`not a one-unit duration: ${JSON.stringify(d)}`);
  return `${n} ${unit}${n === '1' ? '' : 's'}`;
}
