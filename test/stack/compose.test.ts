// docker-compose.yml: valid for Debian's docker-compose (offline, no daemon), pinned, loopback-only
// by default, every mounted host path present in the repository, sandbox unless credentials are set.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compose,
  envFile,
  isRecord,
  resolvedCompose,
  ROOT,
  type ComposeService,
  type ResolvedCompose,
} from './tools.js';

const SERVICES = ['exporter', 'prometheus', 'alertmanager', 'alert-log', 'grafana'];

describe('docker-compose.yml', () => {
  let c: ResolvedCompose;
  beforeAll(async () => {
    c = await resolvedCompose();
  });
  const svc = (name: string): ComposeService => {
    const s = c.services[name];
    if (!s) throw new Error(`no service ${name}`);
    return s;
  };

  it('passes `docker-compose config -q` without a .env file', async () => {
    const r = await compose(['config', '-q']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('has the whole stack', () => {
    expect(Object.keys(c.services).sort()).toEqual([...SERVICES].sort());
  });

  it('pins every image (a version tag, never latest)', () => {
    for (const [name, s] of Object.entries(c.services)) {
      if (s.build !== undefined) continue; // built here from the Dockerfile (whose base image is pinned)
      expect(s.image, name).toMatch(/^[\w./-]+:v?\d+\.\d+(\.\d+)?[\w.-]*$/);
      expect(s.image, name).not.toMatch(/:latest$/);
    }
    expect(svc('exporter').build).toBeDefined();
  });

  it('publishes ports on 127.0.0.1 only, by default', () => {
    let count = 0;
    for (const [name, s] of Object.entries(c.services)) {
      for (const p of s.ports ?? []) {
        count++;
        const hostIp = typeof p === 'string' ? p.split(':')[0] : p.host_ip;
        expect(hostIp, `${name}: ${JSON.stringify(p)}`).toBe('127.0.0.1');
      }
    }
    expect(count).toBeGreaterThanOrEqual(4);
  });

  it('mounts only host paths that exist in the repository', () => {
    let binds = 0;
    for (const [name, s] of Object.entries(c.services)) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === 'string' ? (v.split(':')[0] ?? '') : (v.source ?? '');
        if (!source.startsWith('/')) {
          // a named volume: it must be declared
          expect(Object.keys(c.volumes ?? {}), `${name}: ${source}`).toContain(source);
          continue;
        }
        binds++;
        expect(source.startsWith(ROOT), `${name}: ${source} is outside the repository`).toBe(true);
        expect(existsSync(source), `${name}: ${source} does not exist`).toBe(true);
        const ro = typeof v === 'string' ? v.endsWith(':ro') : v.read_only === true;
        expect(ro, `${name}: ${source} should be mounted read-only`).toBe(true);
      }
    }
    expect(binds).toBeGreaterThanOrEqual(6);
  });

  it('gives every service a healthcheck (the exporter one probes /-/healthy on 9914)', () => {
    for (const [name, s] of Object.entries(c.services)) {
      expect(s.healthcheck?.test, name).toBeDefined();
      expect(s.healthcheck?.disable, name).not.toBe(true);
    }
    expect(JSON.stringify(svc('exporter').healthcheck?.test)).toContain('http://127.0.0.1:9914/-/healthy');
  });

  it('keeps state in named volumes', () => {
    const named = (s: ComposeService, target: string) =>
      (s.volumes ?? []).some((v) =>
        typeof v === 'string'
          ? v.split(':')[1] === target && !v.startsWith('/')
          : v.type === 'volume' && v.target === target,
      );
    expect(named(svc('exporter'), '/data')).toBe(true);
    expect(named(svc('prometheus'), '/prometheus')).toBe(true);
    expect(named(svc('alertmanager'), '/alertmanager')).toBe(true);
    expect(named(svc('grafana'), '/var/lib/grafana')).toBe(true);
  });

  it('does not make Prometheus wait for the exporter (it must alert when the exporter is down)', () => {
    const deps = svc('prometheus').depends_on;
    const names = Array.isArray(deps) ? deps : Object.keys(deps ?? {});
    expect(names).not.toContain('exporter');
  });

  it('runs the exporter in sandbox mode without credentials', () => {
    const env = svc('exporter').environment ?? {};
    expect(env.WHATSAPP_ACCESS_TOKEN ?? '').toBe('');
    expect(env.WHATSAPP_BUSINESS_IDS ?? '').toBe('');
  });

  it('passes Meta credentials from the env file to the exporter only', async () => {
    const withCreds = await resolvedCompose(
      envFile({
        WHATSAPP_ACCESS_TOKEN: 'EAAtest-token',
        WHATSAPP_BUSINESS_IDS: '111,222',
        WHATSAPP_APP_SECRET: 'app-secret-x',
        GF_SECURITY_ADMIN_PASSWORD: 'grafana-pw',
      }),
    );
    const env = withCreds.services.exporter?.environment ?? {};
    expect(env.WHATSAPP_ACCESS_TOKEN).toBe('EAAtest-token');
    expect(env.WHATSAPP_BUSINESS_IDS).toBe('111,222');
    expect(env.WHATSAPP_APP_SECRET).toBe('app-secret-x');
    expect(withCreds.services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('grafana-pw');
    for (const [name, s] of Object.entries(withCreds.services)) {
      if (name === 'exporter') continue;
      expect(JSON.stringify(s), name).not.toContain('EAAtest-token');
      expect(JSON.stringify(s), name).not.toContain('app-secret-x');
    }
  });

  it('switches Alertmanager to the shipped receivers with ALERTMANAGER_CONFIG', async () => {
    const demo = svc('alertmanager').command;
    expect(demo).toContain('--config.file=/etc/alertmanager/alertmanager.demo.yml');
    expect(demo).toContain('--cluster.listen-address=');
    const prod = await resolvedCompose(envFile({ ALERTMANAGER_CONFIG: 'alertmanager.yml' }));
    expect(prod.services.alertmanager?.command).toContain('--config.file=/etc/alertmanager/alertmanager.yml');
  });

  it('Grafana: anonymous access off, provisioning and dashboards mounted where the provider looks', () => {
    const g = svc('grafana');
    expect(g.environment?.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(g.environment?.GF_SECURITY_ADMIN_PASSWORD).toBeTruthy();
    const mounts = Object.fromEntries(
      (g.volumes ?? []).map((v) => (typeof v === 'string' ? [v.split(':')[1], v.split(':')[0]] : [v.target, v.source])),
    );
    expect(mounts['/etc/grafana/provisioning']).toBe(join(ROOT, 'dashboards', 'provisioning'));
    const provider = parse(
      readFileSync(join(ROOT, 'dashboards', 'provisioning', 'dashboards', 'whatsapp.yml'), 'utf8'),
    ) as { providers?: Array<{ options?: { path?: string } }> };
    const path = provider.providers?.[0]?.options?.path;
    expect(path).toBeDefined();
    expect(mounts[path ?? '']).toBe(join(ROOT, 'dashboards'));
    const home = g.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    if (home) expect(existsSync(join(ROOT, 'dashboards', home.slice(`${path}/`.length))), home).toBe(true);
  });

  it('Grafana datasource points at the prometheus service', () => {
    const ds = parse(
      readFileSync(join(ROOT, 'dashboards', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'),
    ) as { datasources?: Array<{ url?: string }> };
    const url = new URL(ds.datasources?.[0]?.url ?? '');
    expect(Object.keys(c.services)).toContain(url.hostname);
    expect(url.port).toBe('9090');
  });

  it('mounts what prometheus.yml and the Alertmanager configs refer to', () => {
    const p = svc('prometheus');
    const targets = (p.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
    expect(targets).toContain('/etc/prometheus/prometheus.yml');
    expect(targets).toContain('/etc/prometheus/alerts');
    const a = svc('alertmanager');
    const amTargets = (a.volumes ?? []).map((v) => (typeof v === 'string' ? v.split(':')[1] : v.target));
    expect(amTargets).toEqual(
      expect.arrayContaining([
        '/etc/alertmanager/alertmanager.yml',
        '/etc/alertmanager/alertmanager.demo.yml',
        '/etc/alertmanager/templates',
      ]),
    );
    expect(statSync(join(ROOT, 'alerts', 'templates')).isDirectory()).toBe(true);
  });

  it('is plain YAML that names no secrets inline', () => {
    const raw = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as unknown;
    expect(isRecord(raw)).toBe(true);
    const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
    // Secrets only as ${VAR} references: no literal token-looking values.
    expect(text).not.toMatch(/EAA[A-Za-z0-9]{10,}/);
    for (const line of text.split('\n').filter((l) => /^\s+\w*(TOKEN|SECRET)\w*:/.test(l))) {
      expect(line).toMatch(/\$\{\w+:-\}$/);
    }
  });
});
