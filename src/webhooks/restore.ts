import { canonicalLabels, CounterSet } from '../state/counters.js';
import type { WebhookDb } from '../state/db.js';
import { boundLabels, type LabelBounds } from './bounds.js';

/**
 * The persisted counters and last-received times, loaded through the label bounds: what a
 * restart brings back is as bounded as what a POST can add. A DB holding more values than the
 * bounds allow (written before they existed: one signed POST made 31,000 `field` series, and they
 * survived restarts) is compacted once: the excess folds into "other" with its counts merged, and
 * the tables are rewritten. The largest counts keep their names; the most recent fields do.
 */
export function restoreState(
  db: WebhookDb,
  bounds: LabelBounds,
): { counters: CounterSet; lastReceived: Map<string, number> } {
  const rows = db.loadCounters();
  // Ids first, without a limit (see LabelBounds.seedId), then the enum labels by size.
  for (const r of rows) {
    if (r.labels.waba_id !== undefined) bounds.seedId('waba_id', r.labels.waba_id);
    if (r.labels.phone_number_id !== undefined) bounds.seedId('phone_number_id', r.labels.phone_number_id);
  }
  rows.sort((a, b) => b.value - a.value);
  const counters = new CounterSet();
  let folded = false;
  for (const r of rows) {
    const labels = boundLabels(r.labels, (l, v) => bounds.fold(l, v));
    if (canonicalLabels(labels) !== canonicalLabels(r.labels)) folded = true;
    counters.add(r.family, labels, r.value);
  }
  if (folded) db.replaceCounters(counters.all());

  const lastReceived = new Map<string, number>();
  const stored = [...db.lastReceived()].sort(([, a], [, b]) => b - a);
  for (const [field, at] of stored) {
    const f = bounds.fold('field', field);
    lastReceived.set(f, Math.max(at, lastReceived.get(f) ?? 0));
  }
  if (lastReceived.size !== stored.length) db.replaceLastReceived(lastReceived);
  return { counters, lastReceived };
}
