/**
 * Recipient country (ISO 3166-1 alpha-2) → Meta pricing market, as used in Meta's rate cards:
 * about 24 markets priced individually and regional buckets for everyone else. From Meta's
 * published "country calling code → market" mapping; countries not listed fall in "Other".
 */
const INDIVIDUAL: Record<string, string> = {
  AR: 'Argentina',
  BR: 'Brazil',
  CL: 'Chile',
  CO: 'Colombia',
  EG: 'Egypt',
  FR: 'France',
  DE: 'Germany',
  IN: 'India',
  ID: 'Indonesia',
  IL: 'Israel',
  IT: 'Italy',
  MY: 'Malaysia',
  MX: 'Mexico',
  NL: 'Netherlands',
  NG: 'Nigeria',
  PK: 'Pakistan',
  PE: 'Peru',
  RU: 'Russia',
  SA: 'Saudi Arabia',
  ZA: 'South Africa',
  ES: 'Spain',
  TR: 'Turkey',
  AE: 'United Arab Emirates',
  GB: 'United Kingdom',
};

const REGIONS: Record<string, string> = {
  'North America': 'US CA',
  'Rest of Africa':
    'DZ AO BJ BW BF BI CM TD CG ET GA GM GH GW CI KE LS LR LY MG MW ML MR MA MZ NA NE RW SN SL SO SS SD SZ TZ TG TN UG ZM',
  'Rest of Asia Pacific': 'AF AU BD KH CN HK JP LA MO MN NP NZ PG PH SG LK TW TJ TH TM UZ VN',
  'Rest of Central & Eastern Europe': 'AL AM AZ BY BG HR CZ GE GR HU LV LT MK MD PL RO RS SK SI UA',
  'Rest of Latin America': 'BO CR DO EC SV GT HT HN JM NI PA PY PR UY VE',
  'Rest of Middle East': 'BH IQ JO KW LB OM QA YE',
  'Rest of Western Europe': 'AT BE DK FI IE NO PT SE CH',
};

const MARKET = new Map<string, string>(Object.entries(INDIVIDUAL));
for (const [market, countries] of Object.entries(REGIONS)) for (const c of countries.split(' ')) MARKET.set(c, market);

export function marketOf(countryIso2: string): string {
  return MARKET.get(countryIso2.toUpperCase()) ?? 'Other';
}
