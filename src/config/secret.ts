import { inspect } from 'node:util';

const REDACTED = '<secret>';

/**
 * A secret value that refuses to be printed. Logging, JSON-serialising, string-interpolating or
 * util.inspect-ing it yields "<secret>", so a config dump or an error message cannot leak it by
 * accident; code that really needs the value calls reveal().
 */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}

export const isSecret = (v: unknown): v is Secret => v instanceof Secret;
