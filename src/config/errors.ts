/** One problem in the configuration, with the dotted path of the key that caused it. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Thrown by loadConfig; `message` lists every issue as "<file>: <path>: <message>", one per line. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(source: string, issues: ConfigIssue[]) {
    super(issues.map((i) => `${source}: ${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
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
