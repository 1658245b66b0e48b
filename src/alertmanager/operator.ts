import type { Customer } from '../config/config.js';
import { customerTree, type Route } from './customers.js';

/**
 * The customers' routes and receivers (customerTree, the same ones `alertmanager-config` prints) as
 * a Prometheus Operator AlertmanagerConfig (monitoring.coreos.com/v1alpha1), for kube-prometheus-stack.
 * A webhook URL is a secret, and the resource is not: it names a key of `webhookSecret` (one key per
 * customer, the customer's name) instead of carrying the URL. Pure.
 */
export function alertmanagerConfigResource(
  customers: readonly Customer[],
  o: { name: string; webhookSecret: string; labels?: Record<string, string> },
): Record<string, unknown> {
  const tree = customerTree(customers);
  const byName = new Map(customers.map((c) => [c.name, c]));
  return {
    apiVersion: 'monitoring.coreos.com/v1alpha1',
    kind: 'AlertmanagerConfig',
    metadata: { name: o.name, ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      // The operator hangs this route under the root route; alerts of no customer pass by it.
      route: {
        receiver: NO_RECEIVER,
        matchers: [{ name: 'customer', matchType: '=~', value: '.+' }],
        continue: true,
        routes: tree.routes.map(route),
      },
      receivers: [
        { name: NO_RECEIVER },
        ...tree.receivers.map((r) => {
          const customer = byName.get(r.name.replace(/^customer-/, ''));
          const email = (r.email_configs ?? []) as Array<Record<string, unknown>>;
          return {
            name: r.name,
            ...(email.length
              ? {
                  emailConfigs: email.map((e) => ({
                    to: e.to,
                    sendResolved: e.send_resolved,
                    headers: Object.entries((e.headers ?? {}) as Record<string, string>).map(([key, value]) => ({
                      key,
                      value,
                    })),
                    html: e.html,
                    text: e.text,
                  })),
                }
              : {}),
            ...(customer?.webhookUrl
              ? { webhookConfigs: [{ urlSecret: { name: o.webhookSecret, key: customer.name }, sendResolved: true }] }
              : {}),
          };
        }),
      ],
    },
  };
}

/** Alerts matched by the top route but by no customer's route end here (a receiver without configs). */
const NO_RECEIVER = 'whatsapp-customers-none';

function route(r: Route): Record<string, unknown> {
  return {
    receiver: r.receiver,
    matchers: (r.matchers ?? []).map(matcher),
    groupBy: r.group_by,
    groupWait: r.group_wait,
    repeatInterval: r.repeat_interval,
    continue: r.continue,
  };
}

/** `customer="acme"` / `alertname=~"A|B"` (customerTree's own forms) → the CRD's matcher object. */
function matcher(m: string): { name: string; matchType: string; value: string } {
  const x = /^([A-Za-z_][A-Za-z0-9_]*)(=~|!~|!=|=)"(.*)"$/.exec(m);
  if (!x) throw new Error(`unexpected matcher ${m}`);
  return { name: x[1] as string, matchType: x[2] as string, value: (x[3] as string).replace(/\\(.)/g, '$1') };
}
