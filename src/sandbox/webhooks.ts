/**
 * A stream of signed, Meta-shaped webhooks for the sandbox: what Meta would POST to the exporter
 * for the sandbox's own WABAs and numbers. Statuses (sent → delivered → read, failed with real
 * error codes) across pricing categories, plus the management fields an exporter subscribes to,
 * and now and then a redelivery of an earlier POST, as Meta does.
 *
 *   const s = startWebhookStream({ url: `${exporter}/webhooks/whatsapp`, appSecret, state: sandbox.state });
 *   …; s.stop();
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { request } from 'undici';
import { systemClock, type Clock } from '../util/clock.js';
import type { SandboxState } from './state.js';
import type { PhoneEntry, WabaEntry } from './types.js';

export interface WebhookStreamOptions {
  url: string;
  appSecret: string;
  state: SandboxState;
  clock?: Clock;
  /** Events per second (one POST each; a POST now and then batches several statuses). Default 5. */
  eventsPerSecond?: number;
  random?: () => number;
  logger?: Logger;
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
const ERRORS: ReadonlyArray<[number, string]> = [
  [131049, 'This message was not delivered to maintain healthy ecosystem engagement.'],
  [131026, 'Message undeliverable'],
  [131047, 'Re-engagement message'],
  [131042, 'Business eligibility payment issue'],
  [131048, 'Spam rate limit hit'],
  [130429, 'Rate limit hit'],
  [
    131050,
    'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business',
  ],
  [131000, 'Something went wrong'],
];
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
  const clock = o.clock ?? systemClock;
  const rnd = o.random ?? Math.random;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const recipients = Array.from({ length: 40 }, (_, i) =>
    fakeNumber(CALLING_CODES[i % CALLING_CODES.length] as string, rnd),
  );
  const messages: Message[] = [];
  const recent: string[] = [];
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
    recent.push(body);
    if (recent.length > 50) recent.shift();
  };

  const tick = () => {
    if (stopped) return;
    const wabas = o.state
      .wabaIds()
      .map((id) => o.state.waba(id))
      .filter((w): w is WabaEntry => w !== undefined && o.state.phonesOf(w).length > 0);
    if (wabas.length === 0) return;
    if (recent.length > 0 && rnd() < REDELIVERY_SHARE) return post(pick(recent));
    const now = Math.floor(clock.now() / 1000);
    const x = rnd();
    if (x < 0.86) return post(envelope(...statusChange(now)));
    const waba = pick(wabas);
    post(envelope(waba.wire.id, managementChange(waba, x, now)));
  };

  /** A new message (sent), the next step of one in flight (delivered, read), or a failure. */
  const statusChange = (now: number): [string, Json] => {
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
      const wabas = o.state
        .wabaIds()
        .map((id) => o.state.waba(id))
        .filter((w): w is WabaEntry => w !== undefined && o.state.phonesOf(w).length > 0);
      const waba = pick(wabas);
      m = {
        id: messageId(rnd),
        waba,
        phone: pick(o.state.phonesOf(waba)),
        recipient: pick(recipients),
        category: pick(CATEGORIES),
        stage: 'sent',
      };
      status = x < 0.9 ? 'sent' : 'failed';
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

  const managementChange = (waba: WabaEntry, x: number, now: number): Json => {
    const phone = pick(o.state.phonesOf(waba));
    const template = waba.templates.length > 0 ? pick(waba.templates) : undefined;
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
          max_daily_conversations_per_business: pick(['TIER_2K', 'TIER_10K', 'TIER_100K']),
        },
        time: now,
      };
    if (x < 0.92)
      return {
        field: 'business_capability_update',
        value: {
          max_daily_conversations_per_business: pick([2000, 10000, 100000]),
          max_phone_numbers_per_business: 20,
        },
        time: now,
      };
    if (x < 0.95 && template) {
      const event = template.wire.status === 'PAUSED' ? 'APPROVED' : 'PAUSED';
      // Keep the Graph side consistent: the next poll agrees with what the webhook said.
      o.state.setTemplateStatus(waba.wire.id, template.wire.name, template.wire.language, event);
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
      return {
        field: 'message_template_quality_update',
        time: now,
        value: {
          previous_quality_score: 'GREEN',
          new_quality_score: pick(['GREEN', 'YELLOW', 'RED']),
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
