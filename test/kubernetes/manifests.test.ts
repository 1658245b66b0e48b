import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS } from '../../dashboards/src/index.js';
import { generated } from '../../deploy/kubernetes/generate.js';
import { loadWithPlaceholderSecrets } from '../../deploy/kubernetes/placeholder-secrets.js';
import {
  find,
  K8S,
  type K8sObject,
  KUBECTL,
  render,
  renderText,
  renderWithKubectl,
  ROOT,
  schemaErrors,
} from './render.js';

/**
 * deploy/kubernetes rendered by the real kustomize (offline; and by `kubectl kustomize` where a
 * kubectl is on PATH, which must render the same), every object validated
 * against its schema (kubernetes-models, @kubernetes-models/prometheus-operator), the hardening
 * the issue asks for checked field by field, and the generated copies equal to their sources.
 */
let base: K8sObject[];
let overlay: K8sObject[];
const EXPORTER = 'whatsapp-business-exporter';
const FANOUT = 'whatsapp-webhook-fanout';

beforeAll(async () => {
  [base, overlay] = await Promise.all([render('base'), render('overlays/example')]);
  process.stderr.write(
    `kustomize build deploy/kubernetes/overlays/example: ${overlay.length} objects\n${overlay
      .map((o) => `  ${o.kind}/${o.metadata.name}`)
      .join('\n')}\n`,
  );
}, 60_000);

const pods = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'StatefulSet' || o.kind === 'Deployment');
const containers = (o: K8sObject): K8sObject[] => o.spec.template.spec.containers;
const env = (c: K8sObject, name: string) =>
  (c.env as Array<{ name: string; value?: string }>).find((e) => e.name === name);

describe('kustomize + schema validation', () => {
  // CI's machines have kubectl (1.32, kustomize v5); a machine without one renders with kustomize only.
  it.runIf(KUBECTL !== undefined).each(['base', 'overlays/example'])(
    '`kubectl kustomize %s` renders exactly what kustomize renders',
    async (dir) => {
      expect(await renderWithKubectl(KUBECTL as string, dir)).toBe(await renderText(dir));
    },
  );

  it('the base and the example overlay render; every object is valid against its schema', () => {
    expect(base.length).toBeGreaterThanOrEqual(12);
    for (const o of [...base, ...overlay]) expect(schemaErrors(o), `${o.kind}/${o.metadata.name}`).toBe('');
  });

  it('the validator really validates (an invalid StatefulSet and ServiceMonitor fail)', () => {
    const sts = structuredClone(find(base, 'StatefulSet', EXPORTER));
    sts.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(schemaErrors(sts)).toMatch(/containerPort must be integer/);
    const sm = structuredClone(find(base, 'ServiceMonitor', EXPORTER));
    sm.spec.endpoints[0].interval = 'half a minute';
    expect(schemaErrors(sm)).toMatch(/interval must match pattern/);
    expect(schemaErrors({ ...sm, kind: 'Unheard' })).toMatch(/no schema/);
  });

  it('the example overlay: its namespace on every namespaced object, a pinned image, restricted pod security', () => {
    for (const o of overlay.filter((x) => x.kind !== 'Namespace'))
      expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe('whatsapp-monitoring');
    expect(find(overlay, 'Namespace', 'whatsapp-monitoring').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    for (const c of pods(overlay).flatMap(containers)) expect(c.image).toMatch(/^[^:]+(:[\w.-]+)$/);
    for (const c of pods(overlay).flatMap(containers)) expect(c.image).not.toMatch(/:latest$/);
  });
});

describe('sharding: replicas = shards = the fan-out list', () => {
  it.each([
    ['base', () => base, 1],
    ['overlays/example', () => overlay, 3],
  ] as const)('%s: replicas, auto/N and POD_NAME agree', (_name, objects, n) => {
    const sts = find(objects(), 'StatefulSet', EXPORTER);
    expect(sts.spec.replicas).toBe(n);
    const c = containers(sts)[0] as K8sObject;
    expect(env(c, 'WHATSAPP_EXPORTER_SHARD')?.value).toBe(`auto/${n}`);
    expect(c.env.find((e: K8sObject) => e.name === 'POD_NAME').valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
    expect(sts.spec.serviceName).toBe(`${EXPORTER}-headless`);
  });

  it('the fan-out addresses every pod of the StatefulSet through the headless Service', () => {
    const sts = find(overlay, 'StatefulSet', EXPORTER);
    const nginx = containers(find(overlay, 'Deployment', FANOUT))[0] as K8sObject;
    expect(env(nginx, 'WHATSAPP_EXPORTER_SHARD')?.value).toBe(`auto/${sts.spec.replicas}`);
    expect(env(nginx, 'WHATSAPP_SHARD_URL')?.value).toBe(
      `http://${sts.metadata.name}-{ordinal}.${sts.spec.serviceName}.$(POD_NAMESPACE).svc.cluster.local:9914`,
    );
    const headless = find(overlay, 'Service', sts.spec.serviceName);
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
  });
});

describe('hardening', () => {
  it.each([
    ['base', () => base],
    ['overlays/example', () => overlay],
  ] as const)('%s: non-root, read-only root filesystem, no capabilities, requests and limits', (_n, objects) => {
    const workloads = pods(objects());
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      const spec = w.spec.template.spec;
      expect(spec.securityContext.runAsNonRoot, w.metadata.name).toBe(true);
      expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
      expect(spec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(spec.automountServiceAccountToken).toBe(false);
      for (const c of containers(w)) {
        expect(c.securityContext, `${w.metadata.name}/${c.name}`).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        for (const k of ['requests', 'limits']) {
          expect(c.resources[k].cpu, `${c.name} ${k}`).toBeTruthy();
          expect(c.resources[k].memory, `${c.name} ${k}`).toBeTruthy();
        }
      }
    }
  });

  it('the exporter: probes on /-/healthy and /-/ready, /data on a PersistentVolumeClaim, the bench sizing', () => {
    const sts = find(base, 'StatefulSet', EXPORTER);
    const c = containers(sts)[0] as K8sObject;
    expect(c.livenessProbe.httpGet.path).toBe('/-/healthy');
    expect(c.readinessProbe.httpGet.path).toBe('/-/ready');
    const claim = sts.spec.volumeClaimTemplates[0];
    expect(c.volumeMounts).toContainEqual({ name: claim.metadata.name, mountPath: '/data' });
    expect(sts.spec.template.spec.volumes.map((v: K8sObject) => v.name)).not.toContain(claim.metadata.name);
    // docs/kubernetes.md "Sizing": the limit must hold the bench's peak RSS at 10,000 numbers (248 MB).
    expect(mebibytes(c.resources.limits.memory) * 1.048576).toBeGreaterThan(248);
    expect(mebibytes(c.resources.requests.memory)).toBeLessThanOrEqual(mebibytes(c.resources.limits.memory));
  });

  it('secrets only by secretKeyRef or mounted files: no secret value in env, ConfigMaps or any Secret object', () => {
    for (const o of [...base, ...overlay]) expect(o.kind).not.toBe('Secret');
    const secretish = /TOKEN|SECRET|PASSWORD|API_KEY|WEBHOOK_URL/;
    for (const c of [...pods(base), ...pods(overlay)].flatMap(containers))
      for (const e of c.env ?? []) if (secretish.test(e.name)) expect(e.value, e.name).toBeUndefined();
    for (const objects of [base, overlay]) {
      const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith(`${EXPORTER}-config`));
      const keys = JSON.stringify(parse(cm?.data['config.yml']));
      expect(keys).toContain('"access_token_file"');
      for (const inline of ['access_token', 'app_secret', 'verify_token', 'api_key', 'password', 'webhook_url'])
        expect(keys).not.toContain(`"${inline}"`);
    }
  });

  it('the shipped exporter configs are valid (check-config with placeholder secret files)', () => {
    expect(loadWithPlaceholderSecrets(join(K8S, 'base/config.yml')).mode).toBe('meta');
    const example = loadWithPlaceholderSecrets(join(K8S, 'overlays/example/config.yml'));
    expect(example.customers.map((c) => c.name)).toEqual(['acme', 'globex']);
    // Every secret file the config names is mounted from a Secret volume.
    const sts = find(overlay, 'StatefulSet', EXPORTER);
    const c = containers(sts)[0] as K8sObject;
    const secretMounts = c.volumeMounts
      .filter((m: K8sObject) => sts.spec.template.spec.volumes.find((v: K8sObject) => v.name === m.name)?.secret)
      .map((m: K8sObject) => m.mountPath as string);
    const text = readFileSync(join(K8S, 'overlays/example/config.yml'), 'utf8');
    for (const path of text.match(/\/run\/secrets\/[\w./-]+/g) ?? [])
      expect(
        secretMounts.some((m: string) => path.startsWith(`${m}/`)),
        path,
      ).toBe(true);
  });

  it('a PodDisruptionBudget and a NetworkPolicy per workload: scrapes and webhooks in, DNS and HTTPS out', () => {
    for (const w of pods(overlay)) {
      const labels = w.spec.template.metadata.labels;
      const selects = (o: K8sObject) =>
        Object.entries(o.spec.selector?.matchLabels ?? o.spec.podSelector?.matchLabels ?? {}).every(
          ([k, v]) => labels[k] === v,
        );
      expect(
        overlay.filter((o) => o.kind === 'PodDisruptionBudget' && selects(o)),
        w.metadata.name,
      ).toHaveLength(1);
      const np = overlay.filter((o) => o.kind === 'NetworkPolicy' && selects(o));
      expect(np, w.metadata.name).toHaveLength(1);
      expect(np[0]?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    }
    const np = find(base, 'NetworkPolicy', EXPORTER);
    const from = np.spec.ingress.flatMap((r: K8sObject) => r.from.map((f: K8sObject) => f.podSelector.matchLabels));
    expect(from).toContainEqual({ 'app.kubernetes.io/name': 'prometheus' });
    expect(from).toContainEqual({
      'app.kubernetes.io/name': EXPORTER,
      'app.kubernetes.io/component': 'webhook-fanout',
    });
    const out = np.spec.egress.flatMap((r: K8sObject) => r.ports.map((p: K8sObject) => `${p.port}/${p.protocol}`));
    expect(out.sort()).toEqual(['443/TCP', '53/TCP', '53/UDP']);
  });
});

describe('Prometheus Operator and Grafana sidecar objects', () => {
  it('the ServiceMonitor scrapes the metrics Service (not the headless one), as job whatsapp-business-exporter', () => {
    const sm = find(overlay, 'ServiceMonitor', EXPORTER);
    expect(sm.metadata.labels?.release).toBe('kube-prometheus-stack');
    const selected = overlay.filter(
      (o) =>
        o.kind === 'Service' &&
        Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
    expect(selected.map((s) => s.metadata.name)).toEqual([EXPORTER]);
    expect(selected[0]?.metadata.labels?.[sm.spec.jobLabel]).toBe(EXPORTER);
    expect(sm.spec.endpoints[0].port).toBe(selected[0]?.spec.ports[0].name);
  });

  it('the PrometheusRule’s spec.groups are exactly the groups of alerts/whatsapp.rules.yml', () => {
    const rules = parse(readFileSync(join(ROOT, 'alerts/whatsapp.rules.yml'), 'utf8')) as { groups: unknown[] };
    for (const objects of [base, overlay])
      expect(find(objects, 'PrometheusRule', EXPORTER).spec.groups).toEqual(rules.groups);
    expect(rules.groups.length).toBeGreaterThan(3);
  });

  it('one ConfigMap per dashboard with the sidecar’s grafana_dashboard label and the JSON unchanged', () => {
    const maps = base.filter((o) => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
    expect(maps).toHaveLength(DASHBOARDS.length);
    for (const d of DASHBOARDS) {
      const cm = maps.find((m) => m.data[d.file] !== undefined);
      expect(cm?.data[d.file], d.file).toBe(readFileSync(join(ROOT, 'dashboards', d.file), 'utf8'));
      // client-side apply stores the object in an annotation of at most 256 KiB
      expect(JSON.stringify(cm).length, d.file).toBeLessThan(256 * 1024);
    }
  });

  it('the AlertmanagerConfig routes each example customer’s alerts; webhook URLs by Secret reference only', () => {
    const amc = find(overlay, 'AlertmanagerConfig', 'whatsapp-customers');
    const routes = amc.spec.route.routes as K8sObject[];
    expect(routes.map((r) => r.matchers[0])).toEqual([
      { name: 'customer', matchType: '=', value: 'acme' },
      { name: 'customer', matchType: '=', value: 'globex' },
    ]);
    const receivers = Object.fromEntries((amc.spec.receivers as K8sObject[]).map((r) => [r.name, r]));
    for (const r of routes) expect(receivers[r.receiver], r.receiver).toBeDefined();
    expect(receivers['customer-acme']?.emailConfigs[0].to).toBe('finance@acme.example');
    expect(receivers['customer-globex']?.webhookConfigs).toEqual([
      { urlSecret: { name: 'whatsapp-customer-webhooks', key: 'globex' }, sendResolved: true },
    ]);
  });
});

describe('generated files', () => {
  it.each([...generated().entries()])('%s equals the generator output', (path, text) => {
    expect(readFileSync(join(K8S, path), 'utf8')).toBe(text);
  });
});

function mebibytes(q: string): number {
  const m = /^(\d+)(Mi|Gi)$/.exec(q);
  if (!m) throw new Error(`unexpected quantity ${q}`);
  return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
}
