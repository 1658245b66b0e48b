import type { Customer } from '../config/config.js';
import { CUSTOMER_ALERT_NAMES } from '../policy/index.js';

/** An Alertmanager route, as much of it as the generator writes (Alertmanager 0.25 field names). */
export interface Route {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: Route[];
  [k: string]: unknown;
}

export interface Receiver {
  name: string;
  [k: string]: unknown;
}

export interface AlertmanagerConfig {
  route: Route;
  receivers: Receiver[];
  [k: string]: unknown;
}

/** The receiver of a customer's alerts (customer names are `[A-Za-z_][A-Za-z0-9_.-]*`, so this is safe as a name). */
export const customerReceiver = (name: string) => `customer-${name}`;

/**
 * One route and one receiver per customer: the customer-facing alerts (src/policy/customers.ts)
 * that carry its `customer` label, by e-mail (the customer templates in alerts/templates) and/or
 * webhook. Each route has `continue: true`, so the operator's routes below still see every alert.
 * Pure; the webhook URL is written in clear because Alertmanager 0.25 has no `url_file`.
 */
export function customerTree(customers: readonly Customer[]): { routes: Route[]; receivers: Receiver[] } {
  const alertnames = CUSTOMER_ALERT_NAMES.join('|');
  return {
    routes: customers.map((c) => ({
      receiver: customerReceiver(c.name),
      matchers: [`customer="${c.name}"`, `alertname=~"${alertnames}"`],
      // One e-mail per account or portfolio: a customer with two wallets hears about each.
      group_by: ['customer', 'account', 'currency', 'business_id'],
      group_wait: '1m',
      repeat_interval: '24h',
      continue: true,
    })),
    receivers: customers.map((c) => ({
      name: customerReceiver(c.name),
      ...(c.email.length
        ? {
            email_configs: [
              {
                to: c.email.join(', '),
                send_resolved: true,
                headers: { Subject: '{{ template "whatsapp.customer.subject" . }}' },
                html: '{{ template "whatsapp.customer.html" . }}',
                text: '{{ template "whatsapp.customer.text" . }}',
              },
            ],
          }
        : {}),
      ...(c.webhookUrl ? { webhook_configs: [{ url: c.webhookUrl.reveal(), send_resolved: true }] } : {}),
    })),
  };
}

/**
 * The base configuration with the customers' routes first under its root route and their
 * receivers added. Throws when the base has no root route or already has a customer's receiver.
 */
export function withCustomers(base: unknown, customers: readonly Customer[]): AlertmanagerConfig {
  if (!isConfig(base)) throw new Error('the base Alertmanager configuration has no route or no receivers');
  const tree = customerTree(customers);
  const taken = new Set(base.receivers.map((r) => r.name));
  for (const r of tree.receivers)
    if (taken.has(r.name)) throw new Error(`the base configuration already has a receiver named "${r.name}"`);
  return {
    ...base,
    route: { ...base.route, routes: [...tree.routes, ...(base.route.routes ?? [])] },
    receivers: [...base.receivers, ...tree.receivers],
  };
}

function isConfig(v: unknown): v is AlertmanagerConfig {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.route === 'object' && o.route !== null && Array.isArray(o.receivers);
}
