import { SEVERITIES } from '../../policy/index.js';
import type { Problem } from '../overview/model.js';
import { ApiError, byKey, pageOf, type Page } from './paging.js';

export const PROBLEM_FILTERS = ['severity', 'kind', 'business_id'] as const;
const KINDS: readonly Problem['kind'][] = [
  'phone',
  'waba',
  'limit',
  'balance',
  'runway',
  'template',
  'token',
  'source',
  'exporter',
];

export interface ProblemsPage extends Page<Problem> {
  /** Problems in scope (the business_id filter) by severity and by kind, before severity/kind filters. */
  readonly counts: { readonly severity: Record<string, number>; readonly kind: Record<string, number> };
}

/** Worst first, then by id: the key the cursor pages by (stable while a problem lasts). */
const keyOf = (p: Problem) => `${SEVERITIES.indexOf(p.severity)}/${p.id}`;

/** One page of the overview's problems (pure). */
export function problemsPage(
  problems: readonly Problem[],
  filters: Readonly<Record<string, string>>,
  limit: number,
  cursor: string | undefined,
): ProblemsPage {
  const severity = filters.severity?.toLowerCase();
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity))
    throw new ApiError(`severity must be one of ${SEVERITIES.join(', ')}`);
  const kind = filters.kind?.toLowerCase();
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind))
    throw new ApiError(`kind must be one of ${KINDS.join(', ')}`);
  const scope = problems.filter((p) => filters.business_id === undefined || p.business_id === filters.business_id);
  const counts = { severity: {} as Record<string, number>, kind: {} as Record<string, number> };
  for (const p of scope) {
    counts.severity[p.severity] = (counts.severity[p.severity] ?? 0) + 1;
    counts.kind[p.kind] = (counts.kind[p.kind] ?? 0) + 1;
  }
  const kept = byKey(
    scope.filter((p) => (severity === undefined || p.severity === severity) && (kind === undefined || p.kind === kind)),
    keyOf,
  );
  return { ...pageOf(kept, keyOf, limit, cursor, 'problems'), counts };
}
