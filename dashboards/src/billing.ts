/** Billing (`wa-billing`): wallet balance, statement, Meta's own pricing numbers, rate card and payment links. */
import { F, VARS, buildDashboard, runbook } from './common.js';
import { RUNWAY_CAP_DAYS, RUNWAY_MAPPINGS, RUNWAY_STEPS } from './overview.js';
import {
  MONEY_UNIT,
  barGauge,
  column,
  columnLinks,
  moneyOverrides,
  seriesMatching,
  stat,
  steps,
  table,
  text,
  timeseries,
  metaCost24hByCategory,
} from './panels.js';
import { DISPLAY_BANDS, SPEND_WINDOW } from './policy.js';

export function billing(): unknown {
  return buildDashboard({
    uid: 'wa-billing',
    title: 'WhatsApp Business / Billing',
    description:
      'Prepaid messaging credit, top-ups and statement debits per billing account, Meta pricing analytics per WABA, estimated cost from delivery webhooks, the rate card, and the links to add credit or pay.',
    variables: [VARS.account, VARS.business_id, VARS.waba_id],
    rows: [
      {
        title: 'Wallet',
        panels: [
          table({
            title: 'Billing account links',
            description:
              'Where to add credit: the top-up page, the shareable payment link (for a finance person, no login) and the rate card of each billing account (labels of whatsapp_billing_account_info; empty when not configured). Click a cell to open it.',
            unit: 'string',
            queries: [
              {
                expr: `max by (account, provider, currency, top_up_url, payment_link_url, rate_card_url) (whatsapp_billing_account_info{${F.account}})`,
              },
            ],
            hide: ['Value'],
            order: ['account', 'provider', 'currency', 'top_up_url', 'payment_link_url', 'rate_card_url'],
            rename: {
              top_up_url: 'Add messaging credits',
              payment_link_url: 'Pay via link',
              rate_card_url: 'View rate card',
            },
            overrides: [
              columnLinks('Add messaging credits', [
                { title: 'Add messaging credits (${__data.fields.account})', url: '${__value.raw}' },
              ]),
              columnLinks('Pay via link', [
                { title: 'Pay via link (${__data.fields.account})', url: '${__value.raw}' },
              ]),
              columnLinks('View rate card', [
                { title: 'View rate card (${__data.fields.account})', url: '${__value.raw}' },
              ]),
            ],
            w: 16,
            h: 6,
          }),
          text({
            title: 'When the balance is low',
            description: 'What to do when a billing alert fires.',
            content: [
              '**Low balance?** Use *Add messaging credits* or send the *Pay via link* URL (left) to whoever pays.',
              '',
              `Alerts: [low balance](${runbook('WhatsAppCreditBalanceLow')}) · [exhausted](${runbook('WhatsAppCreditBalanceExhausted')}) · [runway short](${runbook('WhatsAppCreditBalanceRunwayShort')}).`,
              '',
              'Business-initiated messages stop when the balance reaches zero; some providers keep the account suspended for a while after a recharge.',
            ].join('\n'),
            w: 8,
            h: 6,
          }),
          timeseries({
            title: 'Balance, thresholds and top-ups',
            description:
              'Credit balance per account (solid), its low/critical alert thresholds (dashed) and money added by top-ups within each rate interval (bars, increase of whatsapp_credit_topups_total). One series per currency.',
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `max by (account, currency) (whatsapp_credit_balance{${F.account}})`,
                legend: '{{account}} ({{currency}})',
              },
              {
                expr: `max by (account, currency, level) (whatsapp_credit_balance_alert_threshold{${F.account}})`,
                legend: '{{account}} {{level}} threshold ({{currency}})',
              },
              {
                expr: `sum by (account, currency) (increase(whatsapp_credit_topups_total{${F.account}}[$__rate_interval]))`,
                legend: '{{account}} top-up ({{currency}})',
              },
            ],
            overrides: [
              ...moneyOverrides(),
              seriesMatching('.* threshold .*', {
                'custom.lineStyle': { fill: 'dash', dash: [10, 10] },
                'custom.fillOpacity': 0,
              }),
              seriesMatching('.* top-up .*', { 'custom.drawStyle': 'bars', 'custom.fillOpacity': 80 }),
            ],
            w: 16,
            h: 9,
            links: [{ title: 'Runbook: low balance', url: runbook('WhatsAppCreditBalanceLow') }],
          }),
          stat({
            title: 'Runway',
            description: `Days until zero at the spend rate of the last ${SPEND_WINDOW} (account_currency:whatsapp_credit_runway:days), capped at ${RUNWAY_CAP_DAYS} days for accounts without spend.`,
            unit: 'd',
            queries: [
              {
                expr: `clamp_max(account_currency:whatsapp_credit_runway:days{${F.account}}, ${RUNWAY_CAP_DAYS})`,
                legend: '{{account}} ({{currency}})',
              },
            ],
            thresholds: RUNWAY_STEPS,
            mappings: RUNWAY_MAPPINGS,
            decimals: 1,
            w: 4,
            h: 9,
            links: [{ title: 'Runbook: runway short', url: runbook('WhatsAppCreditBalanceRunwayShort') }],
          }),
          stat({
            title: 'Statement age',
            description:
              'Time since the newest statement row the exporter has seen (whatsapp_credit_statement_last_entry_timestamp_seconds): a long gap means no spend or a stuck statement source.',
            unit: 's',
            queries: [
              {
                expr: `time() - max by (account) (whatsapp_credit_statement_last_entry_timestamp_seconds{${F.account}})`,
                legend: '{{account}}',
              },
            ],
            thresholds: steps(['green', null], ['orange', DISPLAY_BANDS.statementAgeWatchSeconds]),
            w: 4,
            h: 9,
          }),
        ],
      },
      {
        title: 'Spend',
        panels: [
          timeseries({
            title: 'Statement debits by category (per hour)',
            description:
              'Money debited per hour by message category from the provider statement (rate of whatsapp_credit_debits_total × 3600), per account and currency.',
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `sum by (account, currency, category) (rate(whatsapp_credit_debits_total{${F.account}}[$__rate_interval])) * 3600`,
                legend: '{{account}} {{category}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            stack: true,
            w: 12,
            h: 8,
          }),
          timeseries({
            title: 'Spend rate, 6h average (per day)',
            description: `Spend per day at the ${SPEND_WINDOW} average rate (account_currency:whatsapp_credit_spend:rate6h × 86400): what the runway is computed from.`,
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `account_currency:whatsapp_credit_spend:rate6h{${F.account}} * 86400`,
                legend: '{{account}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            w: 12,
            h: 8,
          }),
          timeseries({
            title: 'Estimated cost by category (per hour)',
            description:
              "Billable messages priced with the configured rate card by the recipient's market (rate of whatsapp_estimated_cost_total × 3600), per currency and category: the near-real-time estimate before the statement arrives.",
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `sum by (currency, pricing_category) (rate(whatsapp_estimated_cost_total{${F.wabaSum}}[$__rate_interval])) * 3600`,
                legend: '{{pricing_category}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            stack: true,
            w: 12,
            h: 8,
          }),
          timeseries({
            title: 'Meta billed volume by category (last 24h)',
            description:
              'Billed and free messages of the last 24h by pricing category and type from Meta pricing analytics (whatsapp_pricing_volume_24h), summed over the selected WABAs.',
            unit: 'short',
            queries: [
              {
                expr: `sum by (pricing_category, pricing_type) (whatsapp_pricing_volume_24h{${F.wabaSum}})`,
                legend: '{{pricing_category}} {{pricing_type}}',
              },
            ],
            w: 12,
            h: 8,
          }),
          metaCost24hByCategory({
            description:
              'Cost of the last 24h per pricing category from Meta pricing analytics (whatsapp_pricing_cost_24h), per currency. Approximate and delayed by Meta; partner-billed WABAs may have none.',
            filter: F.wabaSum,
          }),
          barGauge({
            title: 'Meta cost by category (month to date)',
            description:
              "Cost since the start of the month (in the WABA's time zone) per pricing category from Meta pricing analytics (whatsapp_pricing_cost_month_to_date), per currency.",
            unit: MONEY_UNIT,
            queries: [
              {
                expr: `sum by (currency, pricing_category) (whatsapp_pricing_cost_month_to_date{${F.wabaSum}})`,
                legend: '{{pricing_category}} ({{currency}})',
              },
            ],
            overrides: moneyOverrides(),
            w: 12,
            h: 8,
          }),
        ],
      },
      {
        title: 'Rate card',
        panels: [
          table({
            title: 'Rate card',
            description:
              "Price per delivered message by market and pricing category from the configured rate card (whatsapp_rate_card_price), in the card's currency.",
            unit: 'short',
            queries: [{ expr: 'max by (market, pricing_category, currency) (whatsapp_rate_card_price)' }],
            rename: { Value: 'Price per message' },
            order: ['market', 'pricing_category', 'currency', 'Price per message'],
            sortBy: { displayName: 'market' },
            overrides: [column('Price per message', { decimals: 4 })],
            w: 24,
            h: 10,
          }),
        ],
      },
    ],
  });
}
