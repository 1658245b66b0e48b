import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * ISO-3166 alpha-2 country of a recipient's number, from its calling code (Meta prices by the
 * recipient's market). Shared calling codes (+1, +44, +7 …) resolve to the exact country when the
 * number's range says so, else to the code's main country (US for +1, GB for +44), which is the
 * market Meta's rate card uses for them.
 */
export function countryOf(digits: string): string | undefined {
  try {
    const p = parsePhoneNumberFromString(`+${digits}`);
    if (!p) return undefined;
    return p.country ?? p.getPossibleCountries()[0];
  } catch {
    return undefined;
  }
}
