import type { z } from 'zod';
import type { ConfigIssue } from '../../config/errors.js';
import type { Secret } from '../../config/secret.js';
import type { AnswerParser } from '../balance.js';
import type { CreditLineSettings, HttpBalanceSettings } from '../settings.js';
import type { StatementOptions } from './options.js';

/** What a provider may ask of the config loader while turning its options into settings. */
export interface BuildContext {
  /** This account's config path, e.g. `billing.accounts[2]`: issues are reported under it. */
  readonly path: string;
  readonly issues: ConfigIssue[];
  /** Resolves this account's secret pair `key` / `key_file`; an issue when it is missing or both are set. */
  secret(key: string, value: string | undefined, file: string | undefined): Secret | undefined;
  /** Whether a Graph credential of this name is configured; an issue at `<path>.<key>` when not. */
  credential(key: string, name: string): boolean;
}

/** A balance request before the account's shared `timeout` is applied. */
export type BalanceRequest = Omit<HttpBalanceSettings, 'timeoutMs'>;

/**
 * A provider with a balance API: the `billing` source polls what `balance` returns. It returns
 * undefined only when a secret could not be resolved, and then an issue fails the config.
 */
export interface BalanceProvider<S extends z.ZodType = z.ZodType> {
  readonly polls: 'balance';
  readonly schema: S;
  balance(options: z.output<S>, ctx: BuildContext): BalanceRequest | undefined;
  /** The answer's parser when JSON paths are not enough (a postpaid flag, a list of balances); default parseBalance. */
  readonly parse?: AnswerParser;
}

/**
 * A balance read through the Graph client (Meta's credit line): the `billing` source polls what
 * `creditLine` returns. Undefined only when the credential is unknown, and then an issue fails the config.
 */
export interface CreditLineProvider<S extends z.ZodType = z.ZodType> {
  readonly polls: 'credit_line';
  readonly schema: S;
  creditLine(options: z.output<S>, ctx: BuildContext): CreditLineSettings | undefined;
}

/** No balance API: the schema requires the statement section, which the `billing_statement` source polls. */
export interface StatementOnlyProvider<S extends z.ZodType = z.ZodType> {
  readonly polls: 'statement';
  readonly schema: S;
}

/**
 * The contract the provider table checks for each key N: the schema accepts only `provider: N`,
 * and a provider with nothing to poll but a statement makes that statement mandatory.
 */
export type ProviderFor<N extends string> =
  | {
      readonly polls: 'balance';
      readonly schema: z.ZodType<{ provider: N }>;
      // `never`: any provider's own options type fits here; the table keeps the precise one.
      balance(options: never, ctx: BuildContext): BalanceRequest | undefined;
      readonly parse?: AnswerParser;
    }
  | {
      readonly polls: 'credit_line';
      readonly schema: z.ZodType<{ provider: N }>;
      creditLine(options: never, ctx: BuildContext): CreditLineSettings | undefined;
    }
  | { readonly polls: 'statement'; readonly schema: z.ZodType<{ provider: N; statement: StatementOptions }> };

export const balanceProvider = <S extends z.ZodType>(
  schema: S,
  balance: BalanceProvider<S>['balance'],
  parse?: AnswerParser,
): BalanceProvider<S> => ({ polls: 'balance', schema, balance, ...(parse ? { parse } : {}) });

export const creditLineProvider = <S extends z.ZodType>(
  schema: S,
  creditLine: CreditLineProvider<S>['creditLine'],
): CreditLineProvider<S> => ({ polls: 'credit_line', schema, creditLine });

export const statementOnlyProvider = <S extends z.ZodType>(schema: S): StatementOnlyProvider<S> => ({
  polls: 'statement',
  schema,
});

/**
 * Checks each row of the provider table against its key: the row's schema must accept exactly
 * `provider: <key>`, and a provider without a balance API must require a statement. A mismatch
 * does not compile.
 */
export const providerTable = <T extends { [N in keyof T]: ProviderFor<N & string> }>(table: T): T => table;
