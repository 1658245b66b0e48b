// Meta-shaped webhook bodies for tests (the shapes of Meta's webhook reference for `messages`).

/** A Meta-shaped `messages` status webhook for one number of one WABA. */
export function statusWebhook(
  wabaId: string,
  phoneNumberId: string,
  messageId: string,
  recipient: string,
  atSec: number,
  status = 'sent',
  /** A failed status's errors (then without pricing, as Meta sends it). */
  errors?: ReadonlyArray<{ code: number; title: string }>,
): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: wabaId,
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId },
              statuses: [
                {
                  id: messageId,
                  status,
                  timestamp: String(atSec),
                  recipient_id: recipient,
                  ...(errors
                    ? { errors }
                    : { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } }),
                },
              ],
            },
          },
        ],
      },
    ],
  });
}
