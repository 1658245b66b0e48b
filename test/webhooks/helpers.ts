import { mkdtempSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { request } from 'undici';
import type { Config, WebhookSettings } from '../../src/config/config.js';
import { loadConfig } from '../../src/config/load.js';
import { Secret } from '../../src/config/secret.js';
import { SnapshotStore } from '../../src/poller/store.js';
import type { AccountsData, TemplatesData } from '../../src/sources/graph/model.js';
import { ManualClock, type Clock } from '../../src/util/clock.js';
import { createWebhookModule, sign, type WebhookModule, type WebhookModuleDeps } from '../../src/webhooks/index.js';
import { textOf } from '../../src/metrics/render.js';
import { ACCOUNTS, LIMITS, TEMPLATES } from '../../src/sources/keys.js';
import { webhookFragments } from '../../src/collectors/webhooks.js';

export const SECRET = 'app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'verify-me-please';
export const PATH = '/webhooks/whatsapp';

/** The world of the project's fixtures (test/fixtures/webhooks): one portfolio, two WABAs. */
export const BIZ = '900000000000001';
export const WABA = '102290129340398';
export const WABA2 = '102290129340399';
export const PHONE = '106540352242922';
export const PHONE_DISPLAY = '15550783881';
export const PHONE2 = '106540352242923';

export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/webhooks/${name}.json`, import.meta.url), 'utf8');
}

export function accounts(): AccountsData {
  const phone = (id: string, wabaId: string, display: string) => ({
    id,
    wabaId,
    businessId: BIZ,
    displayPhoneNumber: display,
    verifiedName: 'Acme',
    platformType: 'CLOUD_API',
    qualityRating: 'GREEN',
  });
  return {
    wabas: [
      {
        id: WABA,
        businessId: BIZ,
        name: 'Acme',
        currency: 'USD',
        timezoneId: '1',
        phones: [phone(PHONE, WABA, '+1 555-078-3881')],
      },
      {
        id: WABA2,
        businessId: BIZ,
        name: 'Acme 2',
        currency: 'USD',
        timezoneId: '1',
        phones: [phone(PHONE2, WABA2, '+1 555-078-3882')],
      },
    ],
  };
}

export function templates(): TemplatesData {
  return {
    wabaId: WABA,
    businessId: BIZ,
    templates: [
      {
        id: '1689556908129832',
        name: 'order_confirmation',
        language: 'en_US',
        status: 'APPROVED',
        category: 'UTILITY',
        quality: 'GREEN',
      },
      {
        id: '806312974732579',
        name: 'spring_sale',
        language: 'en_US',
        status: 'APPROVED',
        category: 'MARKETING',
        quality: 'GREEN',
      },
    ],
  };
}

/** A store as the poller would leave it: accounts (target = business), templates and limits. */
export function seededStore(clock: Clock): SnapshotStore {
  const store = new SnapshotStore();
  const base = {
    intervalMs: 3_600_000,
    maxStalenessMs: 7_200_000,
    lastSuccess: clock.now(),
    lastAttempt: clock.now(),
    up: true,
  };
  store.update(ACCOUNTS, BIZ, () => ({ source: 'graph_accounts', target: BIZ, ...base, data: accounts() }));
  store.update(TEMPLATES, WABA, () => ({ source: 'graph_templates', target: WABA, ...base, data: templates() }));
  store.update(LIMITS, BIZ, () => ({
    source: 'graph_limits',
    target: BIZ,
    ...base,
    data: { businessId: BIZ, tier: 'TIER_2K' },
  }));
  return store;
}

export interface Rig {
  url: string;
  mod: WebhookModule;
  store: SnapshotStore;
  clock: ManualClock;
  dir: string;
  kicks: Array<[string, string]>;
  invalidations: () => number;
  logs: () => string;
  settings: { current: WebhookSettings };
  post(
    body: string | Buffer,
    o?: { secret?: string; signature?: string | null; headers?: Record<string, string> },
  ): Promise<{ status: number; text: string }>;
  get(query: string): Promise<{ status: number; text: string; type?: string; nosniff?: string }>;
  /** Renders every webhook fragment (what /metrics would serve). */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The webhook module mounted in a bare express app on 127.0.0.1:0 with a real SnapshotStore and a
 * file DB in a fresh temp dir; `reopen` starts a new module on the same dir (a restart).
 */
export async function rig(
  o: {
    secrets?: string[];
    verifyToken?: string;
    cap?: { messages: number; windowMs: number };
    priceFor?: WebhookModuleDeps['priceFor'];
    dir?: string;
    clock?: ManualClock;
    maxBodyBytes?: number;
    accepting?: () => boolean;
  } = {},
): Promise<Rig> {
  const clock = o.clock ?? new ManualClock(Date.UTC(2026, 5, 1, 12));
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'wbe-webhooks-'));
  const base = loadConfig({ env: {}, flags: { storagePath: join(dir, 'data') } });
  const settings = {
    current: {
      enabled: true,
      path: PATH,
      appSecrets: (o.secrets ?? [SECRET]).map((s) => new Secret(s)),
      verifyToken: new Secret(o.verifyToken ?? VERIFY_TOKEN),
      maxBodyBytes: o.maxBodyBytes ?? 1024 * 1024,
      dedupeRetentionMs: 8 * 24 * 3600 * 1000,
      marketingFrequencyCap: o.cap,
    } as WebhookSettings,
  };
  const config = (): Config => ({ ...base, webhooks: settings.current });
  const store = seededStore(clock);
  const kicks: Array<[string, string]> = [];
  let invalidations = 0;
  let logText = '';
  const sink = new Writable({
    write(chunk, _e, cb) {
      logText += String(chunk);
      cb();
    },
  });
  const mod = createWebhookModule({
    config,
    store,
    kick: (s, t) => void kicks.push([s.name, t]),
    clock,
    logger: pino({ level: 'debug' }, sink),
    invalidate: () => void invalidations++,
    priceFor: o.priceFor,
    accepting: o.accepting,
  });
  const app = express();
  app.use(mod.router);
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    mod,
    store,
    clock,
    dir,
    kicks,
    invalidations: () => invalidations,
    logs: () => logText,
    settings,
    async post(body, p = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...p.headers };
      const signature = p.signature === undefined ? sign(body, p.secret ?? SECRET) : p.signature;
      if (signature !== null) headers['x-hub-signature-256'] = signature;
      const r = await request(`${url}${PATH}`, { method: 'POST', body, headers });
      return { status: r.statusCode, text: await r.body.text() };
    },
    async get(query) {
      const r = await request(`${url}${PATH}?${query}`);
      return {
        status: r.statusCode,
        text: await r.body.text(),
        type: r.headers['content-type'] as string | undefined,
        nosniff: r.headers['x-content-type-options'] as string | undefined,
      };
    },
    async metrics() {
      return (
        await Promise.all(webhookFragments(mod.view, store, clock, pino({ level: 'silent' })).map((f) => f.render()))
      )
        .map(textOf)
        .join('');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      mod.close();
    },
  };
}

/** The value of one series in an exposition text (0 when absent, for counters). */
export function value(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  return undefined;
}

/** Series lines of one family. */
export function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}
