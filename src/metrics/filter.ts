import type { ConfigIssue } from '../config/errors.js';

/**
 * Which `whatsapp_*` families are exported, with kube-state-metrics' semantics: `allow` (empty =
 * every family), `deny` (wins over allow) and `opt_in` (families that are expensive and rarely read
 * at fleet scale are exported only when listed). Patterns are anchored regular expressions over
 * family names. Process and Node.js metrics and the collector-health families are not filtered.
 */
export interface MetricLists {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly optIn: readonly string[];
}

export interface CatalogEntry {
  readonly name: string;
  readonly optIn?: boolean;
  /** Exported in part by default; every row when opted in (Family.subset). */
  readonly subset?: string;
}

const anchored = (patterns: readonly string[]) => patterns.map((p) => new RegExp(`^(?:${p})$`));

export class FamilyFilter {
  private readonly allow: RegExp[];
  private readonly deny: RegExp[];
  private readonly optIn: RegExp[];
  private readonly decided = new Map<string, boolean>();

  private readonly completed = new Map<string, boolean>();

  constructor(
    readonly lists: MetricLists,
    private readonly isOptIn: (name: string) => boolean,
  ) {
    this.allow = anchored(lists.allow);
    this.deny = anchored(lists.deny);
    this.optIn = anchored(lists.optIn);
  }

  /** Whether the family is exported (memoised: called once per sample). */
  allows(name: string): boolean {
    let ok = this.decided.get(name);
    if (ok === undefined) {
      const hit = (rs: RegExp[]) => rs.some((r) => r.test(name));
      ok = (this.allow.length === 0 || hit(this.allow)) && !hit(this.deny) && (!this.isOptIn(name) || hit(this.optIn));
      this.decided.set(name, ok);
    }
    return ok;
  }

  /** Whether a subset family is opted in to every row (listed in opt_in). */
  completes(name: string): boolean {
    let ok = this.completed.get(name);
    if (ok === undefined) {
      ok = this.optIn.some((r) => r.test(name));
      this.completed.set(name, ok);
    }
    return ok;
  }

  /** True when nothing is filtered out except the default opt-in families. */
  get allowsEverything(): boolean {
    return this.allow.length === 0 && this.deny.length === 0;
  }
}

/** A pattern that matches no family is a mistake (a typo silently exports or hides nothing). */
export function listIssues(lists: MetricLists, catalog: readonly CatalogEntry[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const check = (key: string, patterns: readonly string[], among: readonly CatalogEntry[], what: string) =>
    anchored(patterns).forEach((r, i) => {
      if (!among.some((f) => r.test(f.name)))
        issues.push({ path: `metrics.${key}[${i}]`, message: `"${patterns[i]}" matches no ${what}` });
    });
  check('allow', lists.allow, catalog, 'metric family');
  check('deny', lists.deny, catalog, 'metric family');
  const optable = catalog.filter((f) => f.optIn || f.subset);
  check('opt_in', lists.optIn, optable, `opt-in family (${optable.map((f) => f.name).join(', ')})`);
  return issues;
}
