import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accountFields, statementSection } from '../../src/billing/providers/options.js';
import { PROVIDER_NAMES, PROVIDERS, type ProviderName } from '../../src/billing/providers/index.js';
import { providerTable, statementOnlyProvider } from '../../src/billing/providers/provider.js';
import { telnyx } from '../../src/billing/providers/telnyx.js';
import { creditLineSource } from '../../src/billing/credit-line/source.js';
import { balanceSource, statementSource } from '../../src/billing/sources.js';
import type { BillingAccount } from '../../src/config/config.js';
import { formatPath } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import type { SourceContext } from '../../src/sources/types.js';

/**
 * A provider that passes check-config must be polled: every row of the provider table, given the
 * smallest valid account (fixtures/config/good/billing.yml), is a target of the balance source or,
 * for a statement-only provider, of the statement source.
 */
const file = join(import.meta.dirname, '../fixtures/config/good/billing.yml');
const config = loadConfig({ file, env: {} });
const ctx = { config } as SourceContext;
const polled = (source: typeof balanceSource | typeof statementSource) => source.targets(ctx).map((t) => t.id);
/** The source that polls a provider's accounts, by what its row says it polls. */
const POLLED_BY = { balance: balanceSource, credit_line: creditLineSource, statement: statementSource } as const;
type RawFile = { billing: { accounts: Record<string, unknown>[] } };
const rawAccounts = (parse(readFileSync(file, 'utf8')) as RawFile).billing.accounts;

describe('billing provider table', () => {
  it('the good fixture has one account per provider, named after it', () => {
    expect(config.billing.accounts.map((a) => [a.name, a.provider])).toEqual(PROVIDER_NAMES.map((n) => [n, n]));
  });

  for (const name of PROVIDER_NAMES) {
    it(`${name}: a valid account is polled`, () => {
      const account = config.billing.accounts.find((a) => a.provider === name) as BillingAccount;
      const source = POLLED_BY[PROVIDERS[name].polls];
      expect(polled(source)).toContain(account.name);
      for (const other of Object.values(POLLED_BY).filter((s) => s !== source))
        expect(polled(other), 'polled by one source only').not.toContain(account.name);
      if (PROVIDERS[name].polls === 'balance') expect(account.http?.url).toMatch(/^https:\/\//);
      if (PROVIDERS[name].polls === 'credit_line') expect(account.creditLine?.businessId).toMatch(/^\d+$/);
    });
  }

  it("rejects every other provider's option as an unknown key at its own path", () => {
    const shapeKeys = (n: ProviderName) => Object.keys((PROVIDERS[n].schema as z.ZodObject).shape);
    const foreign = new Set(PROVIDER_NAMES.flatMap(shapeKeys));
    let checked = 0;
    for (const [i, name] of PROVIDER_NAMES.entries()) {
      const own = new Set(shapeKeys(name));
      for (const key of [...foreign].filter((k) => !own.has(k))) {
        const account = { ...rawAccounts[i], [key]: 'x' };
        const issues = configSchema.safeParse({ billing: { accounts: [account] } }).error?.issues ?? [];
        const unknown = issues.flatMap((x) =>
          x.code === 'unrecognized_keys' ? x.keys.map((k) => formatPath([...x.path, k])) : [],
        );
        expect(unknown, `${key} on ${name}`).toEqual([`billing.accounts[0].${key}`]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(PROVIDER_NAMES.length);
  });

  it('docs/billing.md has a section per provider naming each of its own options', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../docs/billing.md'), 'utf8');
    const shared = new Set(['provider', ...Object.keys(accountFields)]);
    for (const name of PROVIDER_NAMES) {
      const section = docs.split(`\n### \`${name}\`\n`)[1]?.split('\n#')[0];
      expect(section, `### \`${name}\``).toBeDefined();
      const own = Object.keys((PROVIDERS[name].schema as z.ZodObject).shape).filter((k) => !shared.has(k));
      for (const key of own) expect(section, `${name}: ${key}`).toContain(`\`${key}\``);
    }
  });

  it('a preset keeps its documented request unless the account overrides method, balance path or success check', () => {
    const ctxOf = { path: 'billing.accounts[0]', issues: [], secret: () => undefined, credential: () => true };
    const withKey = {
      ...ctxOf,
      secret: (_k: string, v: string | undefined) => (v ? ({ reveal: () => v } as never) : undefined),
    };
    const base = { provider: 'ycloud', name: 'y', api_key: 'k' };
    const plain = PROVIDERS.ycloud.balance(PROVIDERS.ycloud.schema.parse(base), withKey);
    expect(plain).toMatchObject({ method: 'GET', balancePath: 'amount' });
    expect(plain?.successPath).toBeUndefined();
    const over = { ...base, method: 'POST', balance_path: 'data.amount', success_path: 'ok', success_value: true };
    const adjusted = PROVIDERS.ycloud.balance(PROVIDERS.ycloud.schema.parse(over), withKey);
    expect(adjusted).toMatchObject({
      method: 'POST',
      balancePath: 'data.amount',
      successPath: 'ok',
      successValue: true,
    });
    expect(ctxOf.issues).toEqual([]);
  });

  it('a row not matching its key, or a statement-only provider with an optional statement, does not compile', () => {
    // @ts-expect-error: the telnyx schema accepts provider "telnyx", not "twilio".
    providerTable({ twilio: telnyx });
    const optional = z.strictObject({ provider: z.literal('ledger'), statement: statementSection().optional() });
    // @ts-expect-error: nothing would poll an account of this provider without its statement.
    providerTable({ ledger: statementOnlyProvider(optional) });
    // @ts-expect-error: the provider type is the table's keys, nothing else.
    const unknown: ProviderName = 'paypal';
    void unknown;
  });
});
