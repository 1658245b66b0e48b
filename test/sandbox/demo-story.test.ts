// The demo tells one story (src/sandbox/timeline.ts): run against the shipped alert policy, each
// alert of the story fires once per cycle, in the story's order, nothing else fires, and nothing
// critical fires in the first five minutes.
//
// How: the demo's world (the sandbox state, its wallet and its webhook traffic, all driven by one
// ManualClock) is sampled every 15 s over four cycles. For every alert of the policy, a model of
// its rule's condition (alerts/whatsapp.rules.yml, written from src/policy/alerts.ts) says which
// alert instances hold at that moment; a run of holding samples fires `for` after it starts. The
// real pipeline adds delays (poll ≤ 30 s, scrape and evaluation 15 s each), so a run must outlast
// its `for` by MARGIN to count as firing, or fall short of it by MARGIN to count as silent;
// anything in between fails the test, as does story firings closer than MARGIN (their order would
// depend on the delays).
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDIT_LINE_THRESHOLDS as CL, SANDBOX_WALLET_THRESHOLDS as T } from '../../src/config/sandbox.js';
import {
  ALERT_POLICY,
  RECORDING_WINDOWS,
  durationSeconds,
  type AlertName,
  type Severity,
} from '../../src/policy/index.js';
import {
  createSandboxState,
  createSandboxWallet,
  DEMO_CYCLE_MINUTES as C,
  DEMO_WALLET,
  type SandboxOptions,
  type SandboxState,
} from '../../src/sandbox/index.js';
import { currencyAmount } from '../../src/sandbox/credit-lines.js';
import { phoneHealth } from '../../src/sandbox/health.js';
import { webhookTraffic } from '../../src/sandbox/webhooks.js';
import { ManualClock } from '../../src/util/clock.js';
import { mulberry32 } from '../../src/util/random.js';

const STEP_S = 15;
const MARGIN_MIN = 2;
/** The sandbox stream's default rate (src/sandbox/webhooks.ts). */
const EVENTS_PER_SECOND = 5;
const CYCLES = 3;
const minutes = (d: string) => durationSeconds(d) / 60;

/** An alert instance whose condition holds: its identity labels, and its severity (a label too). */
interface Instance {
  labels: string;
  severity: Severity;
}

/** What the rules read at one moment, as the exporter would export it. */
interface World {
  minute: number;
  state: SandboxState;
  balance: number;
  /** Webhook counts per business over the last `window` (dedup'd like the exporter does). */
  traffic(business: string, window: string): Counts;
  /** Unique recipients per business since the start (the run is shorter than the rule's 24 h). */
  recipients(business: string): number;
  /** Highest messaging limit of the business since the start (the rule looks back 24 h). */
  maxLimit(business: string): number;
}

type Model = { holds: (w: World) => Instance[] } | { never: string };

const P = ALERT_POLICY;
const low = P.WhatsAppCreditBalanceLow;
const sev = (a: AlertName): Severity => P[a].severity;
const ACCOUNT = 'account=sandbox-wallet';
const LINE_ACCOUNT = 'account=sandbox-credit-line';
const TIER_LIMIT: Readonly<Record<string, number>> = {
  TIER_250: 250,
  TIER_2K: 2000,
  TIER_10K: 10000,
  TIER_100K: 100000,
  TIER_UNLIMITED: Number.POSITIVE_INFINITY,
};

const phones = (w: World) => w.state.phoneIds().map((id) => w.state.phone(id)!);
const templates = (w: World) => w.state.wabaIds().flatMap((id) => w.state.waba(id)!.templates);
const businesses = (w: World) => w.state.allBusinesses().map((b) => b.wire);
const perPhone = (a: AlertName, test: (p: ReturnType<typeof phones>[number]) => boolean) => ({
  holds: (w: World) =>
    phones(w)
      .filter(test)
      .map((p) => ({ labels: `phone_number_id=${p.wire.id}`, severity: sev(a) })),
});
const perTemplate = (a: AlertName, status: string) => ({
  holds: (w: World) =>
    templates(w)
      .filter((t) => t.wire.status === status)
      .map((t) => ({ labels: `template=${t.wire.id}`, severity: sev(a) })),
});
const perBusiness = (a: AlertName, test: (w: World, b: ReturnType<typeof businesses>[number]) => boolean) => ({
  holds: (w: World) =>
    businesses(w)
      .filter((b) => test(w, b))
      .map((b) => ({ labels: `business_id=${b.id}`, severity: sev(a) })),
});
const limitOf = (tier: string) => TIER_LIMIT[tier];

/**
 * The credit line the demo's `sandbox-credit-line` account reads (the first business's only line,
 * src/config/sandbox.ts): its headroom as the exporter exports it, and whether it is revoked.
 */
function creditLine(w: World): { available: number; revoked: boolean } | undefined {
  const first = w.state.allBusinesses()[0]?.wire.id ?? '';
  const lines = w.state.creditLinesOf(first);
  if (lines.length !== 1) return undefined;
  const wire = lines[0]!.wire;
  return { available: Number(wire.credit_available.amount_in_hundredths) / 100, revoked: wire.is_access_revoked };
}
/** The balance alerts' condition for the credit-line account (its thresholds are both configured). */
function lineBelow(w: World): Instance[] {
  const line = creditLine(w);
  if (!line || line.available >= CL.low) return [];
  return line.available >= CL.critical
    ? [{ labels: `${LINE_ACCOUNT},threshold=low`, severity: low.aboveCriticalSeverity }]
    : [{ labels: `${LINE_ACCOUNT},threshold=critical`, severity: low.severity }];
}

/**
 * One model per alert of the policy (a Record over AlertName: a new alert does not compile until
 * it is classified here). Conditions follow the rule expressions; `never` says why the demo
 * cannot reach the condition at all.
 */
const MODEL: Record<AlertName, Model> = {
  // The account has both thresholds, so two rules: below low but not below critical
  // (threshold="low", `aboveCriticalSeverity`) and below critical (threshold="critical", `severity`).
  // The credit line's headroom is its account's balance, so the same rules watch it.
  WhatsAppCreditBalanceLow: {
    holds: (w) => [
      ...(w.balance >= T.low
        ? []
        : w.balance >= T.critical
          ? [{ labels: `${ACCOUNT},threshold=low`, severity: low.aboveCriticalSeverity }]
          : [{ labels: `${ACCOUNT},threshold=critical`, severity: low.severity }]),
      ...lineBelow(w),
    ],
  },
  WhatsAppCreditBalanceExhausted: {
    holds: (w) =>
      [
        [ACCOUNT, w.balance],
        [LINE_ACCOUNT, creditLine(w)?.available ?? Number.POSITIVE_INFINITY],
      ]
        .filter(([, b]) => (b as number) <= P.WhatsAppCreditBalanceExhausted.atOrBelow)
        .map(([labels]) => ({ labels: labels as string, severity: sev('WhatsAppCreditBalanceExhausted') })),
  },
  // The spend rate is the statement's debits, which are the wallet's burn; counting it from the
  // first minute (Prometheus needs a few) only makes the run longer, so "silent" is the safe side.
  // The credit line's headroom never moves in the demo: nothing is spent from it (runway +Inf).
  WhatsAppCreditBalanceRunwayShort: {
    holds: (w) => {
      const runwayDays = w.balance / ((DEMO_WALLET.burnPerMinute as number) * 1440);
      const above = w.balance > T.low && w.balance > P.WhatsAppCreditBalanceExhausted.atOrBelow;
      return above && runwayDays < P.WhatsAppCreditBalanceRunwayShort.runwayDays
        ? [{ labels: ACCOUNT, severity: sev('WhatsAppCreditBalanceRunwayShort') }]
        : [];
    },
  },
  WhatsAppQualityRatingYellow: perPhone('WhatsAppQualityRatingYellow', (p) => p.wire.quality_rating === 'YELLOW'),
  WhatsAppQualityRatingRed: perPhone('WhatsAppQualityRatingRed', (p) => p.wire.quality_rating === 'RED'),
  WhatsAppPhoneNumberNotConnected: perPhone(
    'WhatsAppPhoneNumberNotConnected',
    (p) => !P.WhatsAppPhoneNumberNotConnected.okStatuses.includes(p.wire.status),
  ),
  WhatsAppSendingLimited: { holds: (w) => health(w, 'LIMITED', 'WhatsAppSendingLimited') },
  WhatsAppSendingBlocked: { holds: (w) => health(w, 'BLOCKED', 'WhatsAppSendingBlocked') },
  WhatsAppMessagingLimitUsageHigh: perBusiness(
    'WhatsAppMessagingLimitUsageHigh',
    (w, b) =>
      w.recipients(b.id) / (limitOf(b.whatsapp_business_manager_messaging_limit) ?? Number.NaN) >
      P.WhatsAppMessagingLimitUsageHigh.ratio,
  ),
  WhatsAppMessagingLimitUsageCritical: perBusiness(
    'WhatsAppMessagingLimitUsageCritical',
    (w, b) =>
      w.recipients(b.id) / (limitOf(b.whatsapp_business_manager_messaging_limit) ?? Number.NaN) >
      P.WhatsAppMessagingLimitUsageCritical.ratio,
  ),
  WhatsAppMessagingLimitDecreased: perBusiness(
    'WhatsAppMessagingLimitDecreased',
    (w, b) => (limitOf(b.whatsapp_business_manager_messaging_limit) ?? Number.NaN) < w.maxLimit(b.id),
  ),
  WhatsAppTemplatePaused: perTemplate('WhatsAppTemplatePaused', 'PAUSED'),
  // Conservative: DISABLED at all, not only "became DISABLED within the lookback".
  WhatsAppTemplateDisabled: perTemplate('WhatsAppTemplateDisabled', 'DISABLED'),
  WhatsAppMessageFailureRateHigh: perBusiness('WhatsAppMessageFailureRateHigh', (w, b) => {
    const c = w.traffic(b.id, RECORDING_WINDOWS.failureRatioWindow);
    const attempts = c.sent + c.failed;
    const fr = P.WhatsAppMessageFailureRateHigh;
    return attempts >= fr.minMessages && c.failed / attempts > fr.ratio;
  }),
  WhatsAppMarketingPerUserLimitHit: perBusiness('WhatsAppMarketingPerUserLimitHit', (w, b) => {
    const mk = P.WhatsAppMarketingPerUserLimitHit;
    const c = w.traffic(b.id, mk.window);
    const attempts = c.marketingSent + c.code131049;
    return attempts >= mk.minMessages && c.code131049 / attempts > mk.ratio;
  }),
  WhatsAppPaymentIssue: perBusiness(
    'WhatsAppPaymentIssue',
    (w, b) => w.traffic(b.id, P.WhatsAppPaymentIssue.window).code131042 > 0,
  ),
  WhatsAppAccessTokenExpiringSoon: { never: 'the sandbox token never expires (debug_token expires_at 0)' },
  WhatsAppAccessTokenInvalid: { never: 'the sandbox accepts its token for as long as it runs' },
  WhatsAppGraphApiRateLimitNear: {
    never: "the demo's polls use a few percent of the sandbox's hourly budget (src/sandbox/usage.ts)",
  },
  WhatsAppExporterDown: { never: 'the demo runs inside the exporter' },
  WhatsAppExporterSourceFailing: { never: 'the demo injects no faults' },
  WhatsAppExporterDataStale: { never: 'the demo injects no faults' },
  WhatsAppWebhooksSilent: { never: 'the webhook stream never pauses' },
  WhatsAppWebhookSubscriptionMissing: { never: "the sandbox's app is subscribed to every WABA" },
  WhatsAppExporterConfigReloadFailed: { never: 'the demo never reloads its configuration' },
  WhatsAppBusinessAccountRestricted: {
    holds: (w) =>
      w.state
        .wabaIds()
        .filter((id) =>
          P.WhatsAppBusinessAccountRestricted.statuses.includes(String(w.state.waba(id)?.wire.account_review_status)),
        )
        .map((id) => ({ labels: `waba_id=${id}`, severity: sev('WhatsAppBusinessAccountRestricted') })),
  },
  WhatsAppCreditLineRevoked: {
    holds: (w) =>
      creditLine(w)?.revoked ? [{ labels: LINE_ACCOUNT, severity: sev('WhatsAppCreditLineRevoked') }] : [],
  },
};

function health(w: World, level: string, a: AlertName): Instance[] {
  return phones(w)
    .filter((p) => phoneHealth(p, w.state).can_send_message === level)
    .map((p) => ({ labels: `phone_number_id=${p.wire.id}`, severity: sev(a) }));
}

interface Counts {
  sent: number;
  failed: number;
  marketingSent: number;
  code131049: number;
  code131042: number;
}
const zero = (): Counts => ({ sent: 0, failed: 0, marketingSent: 0, code131049: 0, code131042: 0 });

/** The story, in firing order, as the policy table says it must page or warn. */
const STORY: ReadonlyArray<[AlertName, Severity]> = [
  ['WhatsAppCreditBalanceLow', low.aboveCriticalSeverity],
  ['WhatsAppQualityRatingYellow', sev('WhatsAppQualityRatingYellow')],
  ['WhatsAppQualityRatingRed', sev('WhatsAppQualityRatingRed')],
  ['WhatsAppTemplatePaused', sev('WhatsAppTemplatePaused')],
  ['WhatsAppMessagingLimitDecreased', sev('WhatsAppMessagingLimitDecreased')],
  // Below critical: the page that closes the money thread, just before the top-up.
  ['WhatsAppCreditBalanceLow', low.severity],
];

interface Run {
  alert: AlertName;
  labels: string;
  severity: Severity;
  from: number;
  to: number;
}
interface Firing {
  alert: AlertName;
  labels: string;
  severity: Severity;
  at: number;
  until: number;
}

/** Samples the demo (default size, or `size`) every STEP_S over `cycles` + 1 cycles; returns the condition runs. */
function simulate(size: SandboxOptions = {}, cycles = CYCLES): Run[] {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 9));
  const t0 = clock.now();
  const opts: SandboxOptions = { ...size, clock, scenario: 'demo' };
  const state = createSandboxState(opts);
  const wallet = createSandboxWallet(opts);
  const traffic = webhookTraffic({ state, clock, random: mulberry32(15) });
  const businessOfWaba = (id: string) => state.waba(id)?.businessId ?? '';
  const buckets: Array<Map<string, Counts>> = [];
  const recipients = new Map<string, Set<string>>();
  const maxLimit = new Map<string, number>();
  const seen = new Set<string>();
  const open = new Map<string, Run>();
  const runs: Run[] = [];
  const steps = ((cycles + 1) * C * 60) / STEP_S;
  for (let i = 0; i <= steps; i++) {
    clock.set(t0 + i * STEP_S * 1000);
    const minute = (i * STEP_S) / 60;
    const bucket = new Map<string, Counts>();
    for (let e = 0; e < EVENTS_PER_SECOND * STEP_S; e++) {
      const body = traffic.next();
      if (body === undefined || seen.has(body)) continue; // redeliveries are deduplicated
      seen.add(body);
      countStatuses(body, businessOfWaba, bucket, recipients);
    }
    buckets.push(bucket);
    for (const b of state.allBusinesses()) {
      const limit = TIER_LIMIT[b.wire.whatsapp_business_manager_messaging_limit];
      if (limit !== undefined) maxLimit.set(b.wire.id, Math.max(maxLimit.get(b.wire.id) ?? 0, limit));
    }
    const world: World = {
      minute,
      state,
      balance: Number(wallet.balanceMicros()) / 1e6,
      traffic(business, window) {
        const n = Math.max(1, durationSeconds(window) / STEP_S);
        const sum = zero();
        for (const bk of buckets.slice(-n)) {
          const c = bk.get(business);
          if (c) for (const k of Object.keys(sum) as Array<keyof Counts>) sum[k] += c[k];
        }
        return sum;
      },
      recipients: (business) => recipients.get(business)?.size ?? 0,
      maxLimit: (business) => maxLimit.get(business) ?? 0,
    };
    const now = new Set<string>();
    for (const [alert, model] of Object.entries(MODEL) as Array<[AlertName, Model]>) {
      if (!('holds' in model)) continue;
      for (const inst of model.holds(world)) {
        const key = `${alert}{${inst.labels},severity=${inst.severity}}`;
        now.add(key);
        if (!open.has(key)) open.set(key, { alert, ...inst, from: minute, to: minute });
      }
    }
    for (const [key, run] of open) {
      if (now.has(key)) continue;
      runs.push({ ...run, to: minute });
      open.delete(key);
    }
  }
  const end = ((cycles + 1) * C * 60) / 60;
  for (const run of open.values()) runs.push({ ...run, to: end });
  return runs;
}

function countStatuses(
  body: string,
  businessOfWaba: (id: string) => string,
  bucket: Map<string, Counts>,
  recipients: Map<string, Set<string>>,
): void {
  type Status = {
    status: string;
    recipient_id: string;
    pricing?: { category?: string };
    errors?: Array<{ code: number }>;
  };
  const doc = JSON.parse(body) as {
    entry: Array<{ id: string; changes: Array<{ field: string; value: { statuses?: Status[] } }> }>;
  };
  for (const entry of doc.entry) {
    const business = businessOfWaba(entry.id);
    for (const change of entry.changes) {
      if (change.field !== 'messages') continue;
      for (const s of change.value.statuses ?? []) {
        let c = bucket.get(business);
        if (!c) bucket.set(business, (c = zero()));
        if (s.status === 'sent') {
          c.sent++;
          if (s.pricing?.category === 'marketing') c.marketingSent++;
          let r = recipients.get(business);
          if (!r) recipients.set(business, (r = new Set()));
          r.add(s.recipient_id);
        }
        if (s.status !== 'failed') continue;
        c.failed++;
        for (const e of s.errors ?? []) {
          if (e.code === 131049) c.code131049++;
          if (e.code === 131042) c.code131042++;
        }
      }
    }
  }
}

/** Which runs fire (and when), and which are too close to their `for` to say. */
function judge(runs: Run[]): { firings: Firing[]; unclear: string[] } {
  const firings: Firing[] = [];
  const unclear: string[] = [];
  for (const r of runs) {
    const forMin = minutes(P[r.alert].for);
    const held = r.to - r.from;
    if (forMin === 0 || held >= forMin + MARGIN_MIN)
      firings.push({ alert: r.alert, labels: r.labels, severity: r.severity, at: r.from + forMin, until: r.to });
    else if (held > forMin - MARGIN_MIN)
      unclear.push(`${r.alert}{${r.labels}} held ${held} min from minute ${r.from}, for: ${P[r.alert].for}`);
  }
  return { firings: firings.sort((a, b) => a.at - b.at), unclear };
}

describe('the demo tells one story', () => {
  const runs = simulate();
  const { firings, unclear } = judge(runs);
  const describeFiring = (f: Firing) => `${f.at}: ${f.alert} ${f.severity} {${f.labels}}`;

  it('holds every state clearly longer or clearly shorter than its alert’s `for`', () => {
    expect(unclear).toEqual([]);
  });

  it.each(Array.from({ length: CYCLES }, (_, c) => c))(
    'cycle %i: each story alert fires once, in the story’s order, and nothing else fires',
    (c) => {
      const inCycle = firings.filter((f) => f.at >= c * C && f.at < (c + 1) * C);
      expect(
        inCycle.map((f) => [f.alert, f.severity]),
        inCycle.map(describeFiring).join('\n'),
      ).toEqual(STORY);
      // Each resolves within its cycle, so the next cycle's firing is a new notification.
      for (const f of inCycle) expect(f.until, describeFiring(f)).toBeLessThanOrEqual((c + 1) * C);
      // Far enough apart that the pipeline's delays cannot swap two of them.
      for (let i = 1; i < inCycle.length; i++)
        expect(inCycle[i]!.at - inCycle[i - 1]!.at, describeFiring(inCycle[i]!)).toBeGreaterThanOrEqual(MARGIN_MIN);
    },
  );

  it('pages nobody in the first five minutes (plus the pipeline margin)', () => {
    const early = firings.filter((f) => f.severity === 'critical' && f.at < 5 + MARGIN_MIN);
    expect(early.map(describeFiring)).toEqual([]);
  });

  it('fires the alerts the story is made of (the models are not vacuous)', () => {
    // Every story alert had at least a pending phase in the first cycle, and traffic flowed.
    const held = new Set(runs.filter((r) => r.from < C).map((r) => r.alert));
    for (const [alert] of STORY) expect(held).toContain(alert);
  });

  it('watches the demo credit line as well (its models are not vacuous): revoked pages, low headroom warns', () => {
    const state = createSandboxState({ scenario: 'demo', clock: new ManualClock(Date.UTC(2026, 2, 1, 9)) });
    const world: World = { minute: 0, state, balance: 121, traffic: zero, recipients: () => 0, maxLimit: () => 0 };
    const holds = (a: AlertName) => ('holds' in MODEL[a] ? MODEL[a].holds(world) : []);
    expect(holds('WhatsAppCreditLineRevoked')).toEqual([]);
    expect(holds('WhatsAppCreditBalanceLow')).toEqual([]);
    state.updateCreditLine(state.creditLineIds()[0] as string, {
      is_access_revoked: true,
      credit_available: currencyAmount(100_000, 'USD'),
    });
    expect(holds('WhatsAppCreditLineRevoked')).toEqual([{ labels: LINE_ACCOUNT, severity: 'critical' }]);
    expect(holds('WhatsAppCreditBalanceLow')).toEqual([
      { labels: `${LINE_ACCOUNT},threshold=low`, severity: low.aboveCriticalSeverity },
    ]);
  });

  it('keeps the story at a larger demo size (the rest of the population is calm)', () => {
    const big = judge(simulate({ phoneNumbers: 100, wabas: 41, businesses: 3 }, 1));
    expect(big.unclear).toEqual([]);
    const first = big.firings.filter((f) => f.at < C);
    expect(
      first.map((f) => [f.alert, f.severity]),
      first.map(describeFiring).join('\n'),
    ).toEqual(STORY);
  });
});
