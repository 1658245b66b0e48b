/** One problem in the configuration, with the dotted path of the key that caused it. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Thrown by loadConfig; `message` lists every issue as "<file>: <path>: <message>", one per line. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(
    readonly source: string,
    issues: ConfigIssue[],
  ) {
    super(issues.map((i) => `${source}: ${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** The same error with `f` applied to every message (redacting secret values). */
  redacted(f: (text: string) => string): ConfigError {
    const issues = this.issues.map((i) => ({ path: f(i.path), message: f(i.message) }));
    return this instanceof StartError
      ? new StartError(f(this.source), issues)
      : new ConfigError(f(this.source), issues);
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/**
 * The configuration is valid but the exporter cannot start with it: the listen address is taken,
 * the storage path cannot hold the state DBs, the rate card cannot be read. Same shape as a
 * ConfigError (the issue names the key, and the flag when there is one), so `check-config` and
 * start report it the same way, in one line, without a stack trace.
 */
export class StartError extends ConfigError {
  constructor(source: string, issues: ConfigIssue[]) {
    super(source, issues);
    this.name = 'StartError';
  }
}
