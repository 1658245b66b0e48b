import { phoneNumberItems, type PhoneNumberItem } from '../api/phone-numbers.js';
import { buildOverview } from './build.js';
import { watchPhones, type PhoneHistory } from './history.js';
import type { Overview, OverviewDeps } from './model.js';
import { watchSpend, type SpendTracker } from './spend.js';
import { CounterWindow } from './window.js';

/**
 * How long one built view model serves requests while the snapshot does not change. Building it
 * at 10,000 numbers takes about 100 ms; a page, its JSON and a few API pages in the same second
 * share one build, and a refresh (a store change) starts a new one at the next request.
 */
export const VIEW_TTL_MS = 1_000;
const DAY_MS = 86_400_000;
/** The 131049 counters are sampled this often for the page's "in the last 24 h". */
const SAMPLE_MS = 60_000;

/** The page's data: the view model (memoized) plus the histories the exporter keeps for it. */
export interface OverviewSource {
  current(): Overview;
  /** The snapshot's numbers sorted by id, computed once per view model (pages and API share it). */
  phoneItems(view: Overview): readonly PhoneNumberItem[];
  readonly spend: SpendTracker;
  readonly phones: PhoneHistory;
  readonly deps: OverviewDeps;
  stop(): void;
}

export function overviewSource(d: OverviewDeps): OverviewSource {
  const { tracker, stop: stopSpend } = watchSpend({
    store: d.store,
    clock: d.clock,
    accounts: () => d.config().billing.accounts,
    estimatedCost: d.estimatedCost,
  });
  const { history, stop: stopPhones } = watchPhones(d.store);
  const rejections = new CounterWindow(DAY_MS, 5 * 60_000);
  let firstSample: number | undefined;
  const sample = () => {
    const counts = d.capRejections?.();
    if (!counts) return;
    const now = d.clock.now();
    firstSample ??= now;
    rejections.observe(now, counts);
  };
  sample();
  const timer = d.capRejections ? setInterval(sample, SAMPLE_MS) : undefined;
  timer?.unref();
  const rejections24h = (businessId: string) => {
    const now = d.clock.now();
    // A business without a 131049 counter has had none since the state began: 0 since the first sample.
    return (
      rejections.increase(businessId, now) ??
      (firstSample === undefined ? undefined : { n: 0, since: Math.max(firstSample, now - DAY_MS) })
    );
  };

  let built: { at: number; config: unknown; reload: unknown; view: Overview } | undefined;
  const invalidate = () => {
    built = undefined;
  };
  d.store.on('change', invalidate);
  const phoneItems = new WeakMap<Overview, readonly PhoneNumberItem[]>();
  return {
    phoneItems(view) {
      let items = phoneItems.get(view);
      if (!items) phoneItems.set(view, (items = phoneNumberItems(d.store, d.clock)));
      return items;
    },
    current() {
      const now = d.clock.now();
      if (
        built &&
        now - built.at < VIEW_TTL_MS &&
        now >= built.at &&
        built.config === d.config() &&
        built.reload === d.lastReload?.()
      )
        return built.view;
      sample();
      const view = buildOverview(d, tracker, { rejections24h });
      built = { at: now, config: d.config(), reload: d.lastReload?.(), view };
      return view;
    },
    spend: tracker,
    phones: history,
    deps: d,
    stop() {
      stopSpend();
      stopPhones();
      if (timer) clearInterval(timer);
      d.store.off('change', invalidate);
    },
  };
}
