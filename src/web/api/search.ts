import { ApiError } from './paging.js';

/** A search as typed: lower-cased text, and its digits for phone numbers written any way. */
export interface SearchTerm {
  readonly text: string;
  readonly digits: string;
}

export function searchTerm(q: string): SearchTerm {
  const text = q.trim().toLowerCase();
  if (text.length === 0) throw new ApiError('q must not be empty');
  return { text, digits: text.replace(/\D/g, '') };
}

/**
 * Ids match exactly; a display number matches when its digits contain the term's digits (at least
 * three: "+1 (555) 010-0042" is found by "5550100042" or "010 0042"); names match as substrings,
 * case-insensitively.
 */
export function matches(
  t: SearchTerm,
  o: { ids: readonly string[]; phone?: string; names: readonly string[] },
): boolean {
  if (o.ids.includes(t.text)) return true;
  if (o.phone !== undefined && t.digits.length >= 3 && o.phone.replace(/\D/g, '').includes(t.digits)) return true;
  return o.names.some((n) => n.toLowerCase().includes(t.text));
}
