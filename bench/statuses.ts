/**
 * Webhook traffic on every number: for each exported number, one message sent, delivered and read,
 * and one that failed with a real error code, as signed, Meta-shaped POSTs (up to 50 statuses each,
 * like Meta's batching). This is the fleet at its most expensive for the user's Prometheus: every
 * number has every status kind.
 */
import { Pool } from 'undici';
import { sign } from '../src/webhooks/verify.js';

export interface FleetNumber {
  wabaId: string;
  phoneNumberId: string;
  display: string;
}

const CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;
const ERROR_CODES = [131049, 131026, 131047, 131048, 130429] as const;

/** The numbers of an exposition, from its `whatsapp_phone_number_info` rows. */
export function numbersOf(exposition: string): FleetNumber[] {
  const out: FleetNumber[] = [];
  for (const line of exposition.split('\n')) {
    if (!line.startsWith('whatsapp_phone_number_info{')) continue;
    const label = (name: string) => new RegExp(`[{,]${name}="([^"]*)"`).exec(line)?.[1] ?? '';
    out.push({
      wabaId: label('waba_id'),
      phoneNumberId: label('phone_number_id'),
      display: label('display_phone_number'),
    });
  }
  return out;
}

/** Posts the statuses; resolves with the number of status events acknowledged. */
export async function postStatusesForEveryNumber(
  url: string,
  path: string,
  appSecret: string,
  numbers: readonly FleetNumber[],
): Promise<number> {
  const pool = new Pool(url, { connections: 8 });
  const now = Math.floor(Date.now() / 1000);
  let events = 0;
  // One change per number (Meta sends a number's statuses with its metadata), 12 numbers per POST.
  const bodies: string[] = [];
  for (let i = 0; i < numbers.length; i += 12) {
    const entries = numbers.slice(i, i + 12).map((n, j) => {
      const k = i + j;
      const category = CATEGORIES[k % CATEGORIES.length]!;
      const recipient = `4479${String(1_000_000 + k).padStart(8, '0')}`;
      const pricing = {
        billable: category !== 'service',
        pricing_model: 'PMP',
        type: category === 'service' ? 'free_customer_service' : 'regular',
        category,
      };
      const ok = `wamid.FLEET${k}A`;
      const statuses = [
        { id: ok, status: 'sent', timestamp: String(now), recipient_id: recipient, pricing },
        { id: ok, status: 'delivered', timestamp: String(now + 1), recipient_id: recipient, pricing },
        { id: ok, status: 'read', timestamp: String(now + 2), recipient_id: recipient, pricing },
        {
          id: `wamid.FLEET${k}B`,
          status: 'failed',
          timestamp: String(now + 3),
          recipient_id: recipient,
          errors: [{ code: ERROR_CODES[k % ERROR_CODES.length], title: 'failed' }],
        },
      ];
      events += statuses.length;
      return {
        id: n.wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: n.display, phone_number_id: n.phoneNumberId },
              statuses,
            },
          },
        ],
      };
    });
    bodies.push(JSON.stringify({ object: 'whatsapp_business_account', entry: entries }));
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const r = await pool.request({
          path,
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body, appSecret) },
        });
        await r.body.dump();
        if (r.statusCode !== 200) throw new Error(`webhook answered ${r.statusCode}`);
      }
    }),
  );
  await pool.close();
  return events;
}
