import type { SnapshotStore } from '../../poller/store.js';
import { ACCOUNTS } from '../../sources/keys.js';

/** One change of a number's quality rating or status, as two refreshes of the snapshot saw it. */
export interface PhoneChange {
  /** When the refresh that saw the new value succeeded (ms). */
  readonly at: number;
  readonly field: 'quality' | 'status';
  readonly from: string;
  readonly to: string;
}

/** Changes kept per number (newest win): enough for "what happened this week" on the number's page. */
export const CHANGES_PER_PHONE = 20;

/**
 * The recent changes of each number's quality rating and status, from the snapshot's successive
 * accounts refreshes (Meta has no history API: the page can only know what the exporter saw).
 * In memory, so it starts empty at every start; bounded by CHANGES_PER_PHONE per number, and a
 * number that leaves the snapshot keeps its changes only until the next start.
 */
export class PhoneHistory {
  private readonly last = new Map<string, { quality: string; status: string }>();
  private readonly changes = new Map<string, PhoneChange[]>();

  /** Records what differs from the last values seen for `id` (the first sighting records nothing). */
  observe(id: string, at: number, now: { quality: string; status: string }): void {
    const prev = this.last.get(id);
    this.last.set(id, now);
    if (!prev) return;
    for (const field of ['quality', 'status'] as const)
      if (prev[field] !== now[field]) this.push(id, { at, field, from: prev[field], to: now[field] });
  }

  /** Newest first. */
  of(id: string): readonly PhoneChange[] {
    return [...(this.changes.get(id) ?? [])].reverse();
  }

  private push(id: string, c: PhoneChange): void {
    const list = this.changes.get(id) ?? [];
    list.push(c);
    if (list.length > CHANGES_PER_PHONE) list.splice(0, list.length - CHANGES_PER_PHONE);
    this.changes.set(id, list);
  }
}

/**
 * A PhoneHistory fed by every accounts refresh in the store. Only entries whose last success moved
 * are read (a fleet's 200 portfolio listings are not all re-read when one of them refreshes).
 */
export function watchPhones(store: SnapshotStore): { history: PhoneHistory; stop(): void } {
  const history = new PhoneHistory();
  const seen = new Map<string, number>();
  const scan = () => {
    for (const e of store.bySource(ACCOUNTS)) {
      if (!e.data || e.lastSuccess === undefined || seen.get(e.target) === e.lastSuccess) continue;
      seen.set(e.target, e.lastSuccess);
      for (const w of e.data.wabas)
        for (const p of w.phones)
          history.observe(p.id, e.lastSuccess, {
            quality: p.qualityRating ?? 'UNKNOWN',
            status: p.status ?? 'UNKNOWN',
          });
    }
  };
  const onChange = (source: string) => source === ACCOUNTS.name && scan();
  scan();
  store.on('change', onChange);
  return { history, stop: () => void store.off('change', onChange) };
}
