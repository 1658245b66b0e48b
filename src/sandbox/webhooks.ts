/**
 * A stream of signed, Meta-shaped webhooks for the sandbox: what Meta would POST to the exporter
 * for the sandbox's own WABAs and numbers. Statuses (sent → delivered → read, failed with real
 * error codes) across pricing categories, plus the management fields an exporter subscribes to,
 * and now and then a redelivery of an earlier POST, as Meta does.
 *
 * The traffic is background, never a story of its own: the demo's alerts come from its timeline
 * (timeline.ts), so what the webhooks say about tiers and templates is what the Graph side says,
 * and failures stay well under the alert thresholds (see FAILED_SHARE and ERRORS).
 *
 *   const s = startWebhookStream({ url: `${exporter}/webhooks/whatsapp`, appSecret, state: sandbox.state });
 *   …; s.stop();
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import { systemClock, type Clock } from '../util/clock.js';
import type { SandboxState } from './state.js';
import type { PhoneEntry, TemplateEntry, WabaEntry } from './types.js';

export interface WebhookTrafficOptions {
  state: SandboxState;
  clock?: Clock;
  random?: () => number;
}

export interface WebhookStreamOptions extends WebhookTrafficOptions {
  url: string;
  appSecret: string;
  /** Events per second (one POST each; a POST now and then batches several statuses). Default 5. */
  eventsPerSecond?: number;
  logger?: Logger;
}

/** The bodies Meta would POST, one per call, without the HTTP: what the stream sends, for tests to count. */
export interface WebhookTraffic {
  /** The next POST body, or undefined when the sandbox has no WABA with a number. */
  next(): string | undefined;
}

export interface WebhookStream {
  stop(): void;
  /** POSTs completed so far (any status). */
  sent(): number;
}

type Json = Record<string, unknown>;

const CATEGORIES = [
  'marketing',
  'marketing',
  'utility',
  'utility',
  'authentication',
  'service',
  'authentication_international',
] as const;
const CALLING_CODES = ['91', '55', '44', '1', '62', '49', '52', '234'];
/**
 * Error codes of failed statuses, picked uniformly. No 131042 (payment issue): one of them pages
 * (WhatsAppPaymentIssue fires on any 131042 within 10 minutes), so random traffic carrying it
 * paged within the demo's first minutes and taught that pages can be ignored.
 */
const ERRORS: ReadonlyArray<[number, string]> = [
  [131049, 'This message was not delivered to maintain healthy ecosystem engagement.'],
  [131026, 'Message undeliverable'],
  [131047, 'Re-engagement message'],
  [131048, 'Spam rate limit hit'],
  [130429, 'Rate limit hit'],
  [
    131050,
    'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
  ],
  [131000, 'Something went wrong'],
];
/**
 * Share of new messages that fail: 2 %, well under WhatsAppMessageFailureRateHigh's 5 %, and with
 * 131049 one code of seven, about 1 % of marketing sends against WhatsAppMarketingPerUserLimitHit's
 * 10 % (test/sandbox/demo-story.test.ts measures both over the alert windows).
 */
const FAILED_SHARE = 0.02;
/** What business_capability_update carries for a tier (Meta sends the number; the exporter maps it back). */
const TIER_NUMBERS: Readonly<Record<string, number>> = {
  TIER_250: 250,
  TIER_2K: 2000,
  TIER_10K: 10000,
  TIER_100K: 100000,
};
const MAX_IN_FLIGHT_MESSAGES = 300;
const MAX_PENDING_POSTS = 64;
const REDELIVERY_SHARE = 0.04;

interface Message {
  id: string;
  waba: WabaEntry;
  phone: PhoneEntry;
  recipient: string;
  category: string;
  stage: 'sent' | 'delivered';
}

export function startWebhookStream(o: WebhookStreamOptions): WebhookStream {
  const traffic = webhookTraffic(o);
  let sent = 0;
  let pending = 0;
  let stopped = false;

  const post = (body: string) => {
    if (pending >= MAX_PENDING_POSTS) return;
    pending++;
    const signature = `sha256=${createHmac('sha256', o.appSecret).update(body).digest('hex')}`;
    request(o.url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    })
      .then((r) => r.body.dump())
      .catch((err: unknown) => o.logger?.debug({ err: (err as Error).message }, 'sandbox webhook POST failed'))
      .finally(() => {
        pending--;
        sent++;
      });
  };

  const tick = () => {
    if (stopped) return;
    const body = traffic.next();
    if (body !== undefined) post(body);
  };

  const timer = setInterval(tick, 1000 / Math.max(0.1, o.eventsPerSecond ?? 5));
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    sent: () => sent,
  };
}

/** The traffic behind the stream: a function of the state, the clock and the random source only. */
export function webhookTraffic(o: WebhookTrafficOptions): WebhookTraffic {
  const clock = o.clock ?? systemClock;
  const rnd = o.random ?? Math.random;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const recipients = Array.from({ length: 40 }, (_, i) =>
    fakeNumber(CALLING_CODES[i % CALLING_CODES.length] as string, rnd),
  );
  const messages: Message[] = [];
  const recent: string[] = [];

  const remember = (body: string): string => {
    recent.push(body);
    if (recent.length > 50) recent.shift();
    return body;
  };

  const next = (): string | undefined => {
    // The demo frame may have moved since the last Graph request: report what Graph would say now.
    o.state.tick();
    const wabas = o.state
      .wabaIds()
      .map((id) => o.state.waba(id))
      .filter((w): w is WabaEntry => w !== undefined && o.state.phonesOf(w).length > 0);
    if (wabas.length === 0) return undefined;
    if (recent.length > 0 && rnd() < REDELIVERY_SHARE) return remember(pick(recent));
    const now = Math.floor(clock.now() / 1000);
    const x = rnd();
    if (x < 0.86) return remember(envelope(...statusChange(wabas, now)));
    const waba = pick(wabas);
    return remember(envelope(waba.wire.id, managementChange(waba, x, now)));
  };

  /** A new message (sent), the next step of one in flight (delivered, read), or a failure. */
  const statusChange = (wabas: WabaEntry[], now: number): [string, Json] => {
    const x = rnd();
    let m: Message;
    let status: string;
    if (messages.length > 0 && x < 0.5) {
      const i = Math.floor(rnd() * messages.length);
      m = messages[i] as Message;
      status = m.stage === 'sent' ? 'delivered' : 'read';
      if (status === 'read' || rnd() < 0.3) messages.splice(i, 1);
      else m.stage = 'delivered';
    } else {
      const waba = pick(wabas);
      m = {
        id: messageId(rnd),
        waba,
        phone: pick(o.state.phonesOf(waba)),
        recipient: pick(recipients),
        category: pick(CATEGORIES),
        stage: 'sent',
      };
      status = rnd() < FAILED_SHARE ? 'failed' : 'sent';
      if (status === 'sent' && messages.length < MAX_IN_FLIGHT_MESSAGES) messages.push(m);
    }
    const s: Json = { id: m.id, status, timestamp: String(now), recipient_id: m.recipient };
    if (status === 'failed') {
      const [code, title] = pick(ERRORS);
      s.errors = [
        {
          code,
          title,
          message: title,
          error_data: { details: title },
          href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
        },
      ];
    } else if (status !== 'read') {
      s.pricing = pricing(m.category, rnd);
    }
    return [
      m.waba.wire.id,
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: {
            display_phone_number: digitsOf(m.phone.wire.display_phone_number),
            phone_number_id: m.phone.wire.id,
          },
          statuses: [s],
        },
      },
    ];
  };

  /**
   * A management field. Tiers, template statuses and quality scores are read from the state, not
   * made up: the exporter applies these webhooks to its snapshot, so a random TIER_100K or PAUSED
   * here would move the messaging limit and template alerts outside the demo's timeline.
   */
  const managementChange = (waba: WabaEntry, x: number, now: number): Json => {
    const phone = pick(o.state.phonesOf(waba));
    const template = waba.templates.length > 0 ? pick(waba.templates) : undefined;
    const tier = String(o.state.business(waba.businessId)?.wire.whatsapp_business_manager_messaging_limit ?? '');
    if (x < 0.885)
      return {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: digitsOf(phone.wire.display_phone_number), phone_number_id: phone.wire.id },
          errors: [
            {
              code: 130429,
              title: 'Rate limit hit',
              message: '(#130429) Rate limit hit',
              error_data: { details: 'Cloud API message throughput has been reached.' },
            },
          ],
        },
      };
    if (x < 0.91)
      return {
        field: 'phone_number_quality_update',
        value: {
          display_phone_number: digitsOf(phone.wire.display_phone_number),
          event: pick(['THROUGHPUT_UPGRADE', 'ONBOARDING', 'FLAGGED', 'UNFLAGGED']),
          ...(tier.startsWith('TIER_') ? { max_daily_conversations_per_business: tier } : {}),
        },
        time: now,
      };
    if (x < 0.92)
      return {
        field: 'business_capability_update',
        value: {
          ...(TIER_NUMBERS[tier] !== undefined ? { max_daily_conversations_per_business: TIER_NUMBERS[tier] } : {}),
          max_phone_numbers_per_business: 20,
        },
        time: now,
      };
    if (x < 0.95 && template) {
      const event = String(template.wire.status);
      return {
        field: 'message_template_status_update',
        time: now,
        value: {
          event,
          message_template_id: Number(template.wire.id),
          message_template_name: template.wire.name,
          message_template_language: template.wire.language,
          reason: event === 'PAUSED' ? null : 'NONE',
          message_template_category: template.wire.category,
          ...(event === 'PAUSED'
            ? { other_info: { title: 'FIRST_PAUSE', description: 'Paused for 3 hours because of low quality.' } }
            : {}),
        },
      };
    }
    if (x < 0.965 && template) {
      // Tests may patch quality_score away.
      const quality =
        (template.wire.quality_score as TemplateEntry['wire']['quality_score'] | undefined)?.score ?? 'UNKNOWN';
      return {
        field: 'message_template_quality_update',
        time: now,
        value: {
          previous_quality_score: quality,
          new_quality_score: quality,
          message_template_id: Number(template.wire.id),
          message_template_name: template.wire.name,
          message_template_language: template.wire.language,
        },
      };
    }
    if (x < 0.98) {
      return {
        field: 'account_update',
        time: now,
        value: pick<Json>([
          {
            event: 'VOLUME_BASED_PRICING_TIER_UPDATE',
            volume_tier_info: {
              tier_update_time: now,
              pricing_category: 'UTILITY',
              tier: '25000001:50000000',
              effective_month: '2026-07',
              region: 'India',
            },
          },
          {
            event: 'ACCOUNT_RESTRICTION',
            restriction_info: [{ restriction_type: 'RESTRICTED_BIZ_INITIATED_MESSAGING', expiration: now + 86400 }],
          },
          { event: 'PARTNER_ADDED', waba_info: { waba_id: waba.wire.id, owner_business_id: waba.businessId } },
        ]),
      };
    }
    return {
      field: 'account_alerts',
      time: now,
      value: {
        entity_type: 'BUSINESS',
        entity_id: waba.businessId,
        alert_info: {
          alert_severity: 'WARNING',
          alert_status: 'ACTIVE',
          alert_type: pick([
            'INCREASED_CAPABILITIES_ELIGIBILITY_DEFERRED',
            'INCREASED_CAPABILITIES_ELIGIBILITY_FAILED',
            'PROFILE_PICTURE_LOST',
          ]),
          alert_description: 'Sandbox alert.',
        },
      },
    };
  };

  return { next };
}

/** `time` travels on the entry (management fields); the change keeps field + value only. */
function envelope(wabaId: string, change: Json): string {
  const { time, ...rest } = change;
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, ...(time !== undefined ? { time } : {}), changes: [rest] }],
  });
}

function pricing(category: string, rnd: () => number): Json {
  if (category === 'service') return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
  if (category === 'utility' && rnd() < 0.3)
    return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
  return { billable: true, pricing_model: 'PMP', type: 'regular', category };
}

function fakeNumber(code: string, rnd: () => number): string {
  // Fictional-looking but well-formed national numbers per country.
  const national: Record<string, string> = {
    '91': '98765',
    '55': '1198765',
    '44': '79111',
    '1': '41555',
    '62': '81234',
    '49': '15123',
    '52': '15512',
    '234': '80312',
  };
  let n = `${code}${national[code] ?? '5550'}`;
  while (n.length < (code === '1' ? 11 : 12)) n += Math.floor(rnd() * 10);
  return n;
}

function messageId(rnd: () => number): string {
  const bytes = Buffer.from(Array.from({ length: 30 }, () => Math.floor(rnd() * 256)));
  return `wamid.${bytes.toString('base64')}`;
}

const digitsOf = (display: string) => display.replace(/[^0-9]/g, '');
