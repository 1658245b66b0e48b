/**
 * An upstream enum as an `_info` label value: a value we know as is, "" when Graph did not say,
 * and "other" for a value this version does not know. Label values from outside stay a known
 * set; the new value itself is in the log and in whatsapp_exporter_unknown_enum_values_total.
 */
export function infoEnum(value: string | undefined, known: readonly string[]): string {
  if (value === undefined) return '';
  return known.includes(value) ? value : 'other';
}
