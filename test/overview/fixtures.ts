import type { Config } from '../../src/config/config.js';
import { SnapshotStore, type SourceEntry } from '../../src/poller/store.js';
import type { AccountsData, PhoneRecord } from '../../src/sources/graph/model.js';
import { ManualClock } from '../../src/util/clock.js';
import type { OverviewDeps } from '../../src/web/overview/index.js';
import type { SourceKey } from '../../src/sources/key.js';
import { ACCOUNTS, BALANCE, LIMITS, STATEMENT, TEMPLATES, TOKEN } from '../../src/sources/keys.js';

export const T0 = Date.UTC(2026, 10, 26, 10);
export const XSS = '<script>window.__xss=1</script><img src=x onerror=window.__xss=2>';

export function phone(id: string, p: Partial<PhoneRecord> = {}): PhoneRecord {
  return {
    id,
    wabaId: 'W1',
    businessId: 'B1',
    displayPhoneNumber: `+1 555-010-${id.slice(-4)}`,
    verifiedName: 'Acme',
    platformType: 'CLOUD_API',
    status: 'CONNECTED',
    qualityRating: 'GREEN',
    health: 'AVAILABLE',
    throughput: 'STANDARD',
    ...p,
  };
}

/** Portfolio B1's accounts listing: WABA W1 (Acme Support) with these numbers. */
export function listing(phones: PhoneRecord[], reviewStatus?: string, subscribedApps?: number): AccountsData {
  return {
    wabas: [
      {
        id: 'W1',
        businessId: 'B1',
        name: 'Acme Support',
        currency: 'USD',
        timezoneId: '1',
        reviewStatus,
        subscribedApps,
        phones,
      },
    ],
  };
}

/** A config with just what the overview reads (the real one is a frozen, validated object). */
export function fakeConfig(
  o: {
    links?: Partial<Config['billing']['accounts'][number]['links']>;
    thresholds?: { low?: number; critical?: number };
  } = {},
): Config {
  return {
    mode: 'meta',
    businesses: [{ id: 'B1', credential: 'default', discover: ['owned'] }],
    web: { listenAddress: ':9914', telemetryPath: '/metrics', auth: { kind: 'none' } },
    billing: {
      accounts: [
        {
          name: 'wallet',
          provider: 'http_json',
          intervalMs: 60_000,
          maxStalenessMs: 300_000,
          currency: 'USD',
          thresholds: o.thresholds ?? { low: 100, critical: 25 },
          businessIds: ['B1'],
          wabaIds: [],
          links: {
            topUp: 'https://pay.example/top-up',
            payment: '',
            rateCard: 'https://pay.example/rates',
            ...o.links,
          },
          statement: {
            headers: {},
            format: 'json',
            intervalMs: 60_000,
            maxStalenessMs: 300_000,
            timeoutMs: 5_000,
            url: 'https://pay.example/statement',
          },
        },
      ],
      metaPricing: { enabled: false, intervalMs: 60_000, maxStalenessMs: 300_000 },
    },
  } as unknown as Config;
}

/** Puts one successful entry into the store, polled `interval` ms apart, last success at `at`. */
export function put<T>(
  store: SnapshotStore,
  key: SourceKey<T>,
  target: string,
  data: T,
  at: number,
  intervalMs = 60_000,
  extra: Partial<SourceEntry<T>> = {},
): void {
  store.update(key, target, () => ({
    source: key.name,
    target,
    intervalMs,
    maxStalenessMs: intervalMs * 5,
    data,
    lastSuccess: at,
    lastAttempt: at,
    up: true,
    ...extra,
  }));
}

/** A hand-made snapshot: one business, one WABA with three numbers, templates, a token, a wallet. */
export function scenario(
  o: {
    balance?: number;
    phones?: PhoneRecord[];
    usage?: Map<string, number>;
    tier?: string;
    reviewStatus?: string;
  } = {},
): { store: SnapshotStore; clock: ManualClock; deps: OverviewDeps } {
  const clock = new ManualClock(T0);
  const store = new SnapshotStore();
  const phones = o.phones ?? [
    phone('0001'),
    phone('0002', { qualityRating: 'RED' }),
    phone('0003', { qualityRating: 'YELLOW', health: 'LIMITED' }),
  ];
  put(store, ACCOUNTS, 'B1', listing(phones, o.reviewStatus ?? 'APPROVED'), T0);
  put(store, LIMITS, 'B1', { businessId: 'B1', tier: o.tier ?? 'TIER_250' }, T0);
  put(
    store,
    TEMPLATES,
    'W1',
    {
      wabaId: 'W1',
      businessId: 'B1',
      templates: [
        { id: '1', name: 'welcome', language: 'en_US', status: 'APPROVED', category: 'UTILITY', quality: 'GREEN' },
        { id: '2', name: 'spring_sale', language: 'en_US', status: 'PAUSED', category: 'MARKETING', quality: 'RED' },
        { id: '3', name: 'old_promo', language: 'de', status: 'DISABLED', category: 'MARKETING', quality: 'RED' },
      ],
    },
    T0,
  );
  put(store, TOKEN, 'default', { credential: 'default', valid: true, expiresAt: Number.POSITIVE_INFINITY }, T0);
  put(
    store,
    BALANCE,
    'wallet',
    { account: 'wallet', reading: { micros: BigInt(Math.round((o.balance ?? 64) * 1e6)), currency: 'USD' } },
    T0,
  );
  put(
    store,
    STATEMENT,
    'wallet',
    {
      account: 'wallet',
      rows: 3,
      totals: {
        topups: new Map([['USD', 500_000_000n]]),
        debits: new Map([
          ['USD\u0000marketing', 300_000_000n],
          ['USD\u0000utility', 136_000_000n],
        ]),
        lastEntryAt: T0 - 60_000,
      },
    },
    T0,
  );
  const deps: OverviewDeps = {
    store,
    clock,
    config: () => fakeConfig(),
    rateCard: () => undefined,
    version: '1.2.3',
    uniqueRecipients24h: o.usage ? () => o.usage as Map<string, number> : undefined,
  };
  return { store, clock, deps };
}
