/**
 * Parser for Graph's `fields=` parameter: a comma list where each field may carry modifier
 * calls and a nested selection, e.g.
 *   `id,name,phone_numbers.limit(100){id,quality_rating},pricing_analytics.start(1).end(2).granularity(DAILY)`
 * Modifiers may come before or after the `{…}` (Graph accepts both). Modifier arguments are kept
 * raw (they can hold JSON arrays, quotes and nested brackets); `.as(x)` sets an alias. Pure.
 */
export interface FieldSpec {
  name: string;
  /** Output key (Graph's `.as(alias)`); defaults to name. */
  alias?: string;
  /** Modifier name → raw argument text, e.g. { limit: '100' }. */
  modifiers: Record<string, string>;
  /** Nested selection; undefined when the field had no `{…}`. */
  children?: FieldSpec[];
}

export class FieldsSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'FieldsSyntaxError';
  }
}

export function parseFields(input: string): FieldSpec[] {
  const p = new Parser(input);
  const specs = p.list(false);
  p.ws();
  if (!p.done()) p.fail(`Expected end of string instead of "${p.peek()}".`);
  return specs;
}

/** Inverse of parseFields, used to build nested `paging.next` URLs. */
export function formatFields(specs: readonly FieldSpec[]): string {
  return specs
    .map((s) => {
      let out = s.name;
      for (const [m, arg] of Object.entries(s.modifiers)) out += `.${m}(${arg})`;
      if (s.alias !== undefined) out += `.as(${s.alias})`;
      if (s.children) out += `{${formatFields(s.children)}}`;
      return out;
    })
    .join(',');
}

const NAME = /[A-Za-z0-9_]/;
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }
  peek(): string {
    return this.s[this.i] ?? '';
  }
  ws(): void {
    while (/\s/.test(this.peek()) && !this.done()) this.i++;
  }
  fail(msg: string): never {
    throw new FieldsSyntaxError(`Syntax error "${msg}" at character ${this.i}: ${this.s}`, this.i);
  }

  /** field (',' field)*; empty entries are skipped, as Graph tolerates "id,,name," */
  list(nested: boolean): FieldSpec[] {
    const out: FieldSpec[] = [];
    for (;;) {
      this.ws();
      if (this.done() || (nested && this.peek() === '}')) return out;
      if (this.peek() !== ',') out.push(this.field());
      this.ws();
      if (this.peek() === ',') {
        this.i++;
        continue;
      }
      if (this.done() || (nested && this.peek() === '}')) return out;
      this.fail(`Expected "," or end of field list instead of "${this.peek()}".`);
    }
  }

  private field(): FieldSpec {
    const spec: FieldSpec = { name: this.name(), modifiers: {} };
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === '.') {
        this.i++;
        const mod = this.name();
        this.ws();
        if (this.peek() !== '(') this.fail(`Expected "(" after modifier "${mod}".`);
        const arg = this.balanced().trim();
        if (mod === 'as') spec.alias = arg;
        else spec.modifiers[mod] = arg;
      } else if (c === '{') {
        if (spec.children) this.fail(`Field "${spec.name}" has two nested selections.`);
        this.i++;
        spec.children = this.list(true);
        if (this.peek() !== '}') this.fail('Expected "}".');
        this.i++;
      } else {
        return spec;
      }
    }
  }

  private name(): string {
    const start = this.i;
    while (!this.done() && NAME.test(this.peek())) this.i++;
    if (this.i === start) this.fail(`Expected a field name instead of "${this.peek() || 'end of string'}".`);
    return this.s.slice(start, this.i);
  }

  /** Reads "(…)" with nested brackets and quoted strings; returns the inside. */
  private balanced(): string {
    const start = this.i + 1;
    const stack: string[] = [];
    while (!this.done()) {
      const c = this.s[this.i++]!;
      if (c === '"' || c === "'") {
        while (!this.done() && this.s[this.i] !== c) this.i += this.s[this.i] === '\\' ? 2 : 1;
        if (this.done()) this.fail('Unterminated string.');
        this.i++;
      } else if (CLOSER[c]) {
        stack.push(CLOSER[c]!);
      } else if (c === ')' || c === ']' || c === '}') {
        if (stack.pop() !== c) this.fail(`Unbalanced "${c}".`);
        if (stack.length === 0) return this.s.slice(start, this.i - 1);
      }
    }
    return this.fail('Expected ")".');
  }
}
