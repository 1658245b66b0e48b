/**
 * Graph API sandbox: a fake Meta Graph API speaking Meta's wire format over real HTTP, for the
 * credential-less demo (`npm start`), contract and fault-injection tests (port 0) and the bench
 * (10,000 numbers). Deterministic for a seed; time comes from the injected clock.
 *
 *   const sb = await startSandbox({ phoneNumbers: 10, seed: 7 });
 *   fetch(`${sb.url}/v24.0/${sb.state.wabaIds()[0]}/phone_numbers`, { headers: { authorization: 'Bearer x' } });
 *   sb.faults.add({ kind: 'http_5xx', match: '/phone_numbers', times: 1 });
 *   await sb.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../util/clock.js';
import { controlRouter } from './control.js';
import { FaultInjector } from './faults.js';
import type { SandboxContext } from './graph.js';
import { generatePopulation } from './population.js';
import { graphRouter } from './routes.js';
import { SandboxState } from './state.js';
import { SandboxStats } from './stats.js';
import { UsageMeter } from './usage.js';
import { DEMO_WALLET } from './timeline.js';
import { SandboxWallet, type WalletOptions } from './wallet.js';
import { walletControl, walletRouter } from './wallet-routes.js';

export {
  FaultInjector,
  FAULT_KINDS,
  faultSpecSchema,
  type FaultEntry,
  type FaultKind,
  type FaultSpec,
} from './faults.js';
export { SandboxState, type Patch, type TokenInfo } from './state.js';
export { SandboxStats } from './stats.js';
export { generatePopulation, type PopulationOptions } from './population.js';
export { DEMO_CYCLE_MINUTES, DEMO_TIMELINE, DEMO_WALLET, demoFrameAt, type DemoFrame } from './timeline.js';
export { SandboxWallet, type WalletOptions } from './wallet.js';
export { parseFields, formatFields, FieldsSyntaxError, type FieldSpec } from './fields.js';
export { MAX_BATCH } from './batch.js';

export interface SandboxOptions {
  phoneNumbers?: number;
  wabas?: number;
  businesses?: number;
  templatesPerWaba?: number;
  /** Seed of the deterministic population. */
  seed?: number;
  clock?: Clock;
  host?: string;
  port?: number;
  /** Version written into paging.next URLs; requests may use any vNN.N. */
  apiVersion?: string;
  /** When given, only these tokens exist; by default any non-empty token is valid forever. */
  tokens?: Record<string, { valid?: boolean; expiresAt?: number /* unix s, 0 = never */ }>;
  scenario?: 'static' | 'demo';
  defaultPageLimit?: number;
  /** Calls per hour per app per WABA/business object (Meta: 200, or 5,000 with a registered number). */
  hourlyBudget?: number;
  /** Calls per hour for the app as a whole, behind X-App-Usage. */
  appHourlyBudget?: number;
  /** Base URL for paging links when mounted behind something else; default: the request's Host. */
  publicUrl?: string;
  logger?: Logger;
  /** The prepaid wallet behind /wallet/v1/* and Twilio's Balance.json (default: the demo's in the demo scenario). */
  wallet?: WalletOptions;
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:34567 (no trailing slash, no version). */
  url: string;
  port: number;
  state: SandboxState;
  faults: FaultInjector;
  stats: SandboxStats;
  wallet: SandboxWallet;
  close(): Promise<void>;
}

export const SANDBOX_DEFAULTS = {
  phoneNumbers: 3,
  wabas: 2,
  businesses: 1,
  templatesPerWaba: 4,
  seed: 1,
  host: '127.0.0.1',
  port: 0,
  apiVersion: 'v24.0',
  scenario: 'static',
  defaultPageLimit: 25,
  hourlyBudget: 5_000,
  appHourlyBudget: 200_000,
} as const;

/** Builds the population and state for `opts` (what startSandbox does before listening). */
export function createSandboxState(opts: SandboxOptions = {}): SandboxState {
  const population = generatePopulation({
    phoneNumbers: opts.phoneNumbers ?? SANDBOX_DEFAULTS.phoneNumbers,
    wabas: opts.wabas ?? SANDBOX_DEFAULTS.wabas,
    businesses: opts.businesses ?? SANDBOX_DEFAULTS.businesses,
    templatesPerWaba: opts.templatesPerWaba ?? SANDBOX_DEFAULTS.templatesPerWaba,
    seed: opts.seed ?? SANDBOX_DEFAULTS.seed,
  });
  return new SandboxState(population, {
    clock: opts.clock ?? systemClock,
    scenario: opts.scenario ?? SANDBOX_DEFAULTS.scenario,
    tokens: opts.tokens,
  });
}

/** The wallet for `opts` (what startSandbox serves): the demo scenario's tops itself up every cycle. */
export function createSandboxWallet(opts: SandboxOptions = {}): SandboxWallet {
  const scenario = opts.scenario ?? SANDBOX_DEFAULTS.scenario;
  return new SandboxWallet(opts.clock ?? systemClock, opts.wallet ?? (scenario === 'demo' ? DEMO_WALLET : undefined));
}

/** The Express app (Graph API + `/_sandbox` control API) without listening, for in-process mounting. */
export function createSandboxApp(
  state: SandboxState,
  faults: FaultInjector,
  stats: SandboxStats,
  opts: SandboxOptions = {},
  wallet?: SandboxWallet,
): express.Express {
  const clock = opts.clock ?? systemClock;
  const ctx: SandboxContext = {
    state,
    faults,
    stats,
    clock,
    usage: new UsageMeter(
      clock,
      opts.hourlyBudget ?? SANDBOX_DEFAULTS.hourlyBudget,
      opts.appHourlyBudget ?? SANDBOX_DEFAULTS.appHourlyBudget,
    ),
    apiVersion: opts.apiVersion ?? SANDBOX_DEFAULTS.apiVersion,
    defaultPageLimit: opts.defaultPageLimit ?? SANDBOX_DEFAULTS.defaultPageLimit,
    publicUrl: opts.publicUrl,
    logger: opts.logger?.child({ component: 'sandbox' }),
  };
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  if (wallet) {
    app.use('/_sandbox/billing', walletControl(wallet));
    app.use(walletRouter(wallet, faults, () => ctx.state.businessIds()));
  }
  app.use('/_sandbox', controlRouter(ctx));
  app.use(graphRouter(ctx));
  return app;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const state = createSandboxState(opts);
  const faults = new FaultInjector();
  const stats = new SandboxStats();
  const wallet = createSandboxWallet(opts);
  const server = createServer(createSandboxApp(state, faults, stats, opts, wallet));
  const host = opts.host ?? SANDBOX_DEFAULTS.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? SANDBOX_DEFAULTS.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  opts.logger?.info({ url }, 'sandbox listening');
  return {
    url,
    port,
    state,
    faults,
    stats,
    wallet,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Held-open 'timeout' answers and keep-alive sockets would otherwise block close().
        server.closeAllConnections();
      }),
  };
}
