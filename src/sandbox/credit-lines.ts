/**
 * Meta credit lines ("extended credit") as the sandbox serves them: the wire objects of a line and
 * of its allocations to client businesses, built from amounts in hundredths. Pure; the population
 * gives its first business one line, and the state's levers add lines and allocations with these
 * same builders. Shapes: facebook-python-business-sdk adobjects/extendedcredit.py,
 * extendedcreditallocationconfig.py, currencyamount.py; BILLING-APIS §13.
 */
import type { AllocationEntry, CreditLineEntry, CurrencyAmountWire } from './types.js';

// 15-digit id bases, like population.ts: an id alone says what it is.
const CREDIT_LINE_ID_BASE = 130_000_000_000_000;
const ALLOCATION_ID_BASE = 140_000_000_000_000;
/** Client businesses the demo line is shared with (not part of the polled population). */
const CLIENT_BUSINESS_ID_BASE = 510_000_000_000_000;

/** The demo line: 10,000.00 USD, 1,520.35 owed, shared with two clients (2,000.00 and 1,500.00). */
export const DEMO_CREDIT_LINE = Object.freeze({
  currency: 'USD',
  maxHundredths: 1_000_000,
  owedHundredths: 152_035,
  allocationsHundredths: [200_000, 150_000] as readonly number[],
});

/** Meta's CurrencyAmount for an amount in hundredths: all strings, `amount` with two decimals. */
export function currencyAmount(hundredths: number, currency: string): CurrencyAmountWire {
  const sign = hundredths < 0 ? '-' : '';
  const abs = Math.abs(hundredths);
  const amount = `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  const h = String(hundredths);
  return { amount, amount_in_hundredths: h, currency, offsetted_amount: h };
}

export function creditLineId(seq: number): string {
  return String(CREDIT_LINE_ID_BASE + seq + 1);
}

/** A line of `businessId` with `maxHundredths` of limit, `owedHundredths` used; available = max − owed. */
export function makeCreditLine(
  id: string,
  businessId: string,
  businessName: string,
  o: { currency: string; maxHundredths: number; owedHundredths: number },
): CreditLineEntry {
  return {
    wire: {
      id,
      credit_type: 'WHATSAPP_BUSINESS',
      legal_entity_name: `${businessName} LLC`,
      owner_business_name: businessName,
      balance: currencyAmount(o.owedHundredths, o.currency),
      credit_available: currencyAmount(o.maxHundredths - o.owedHundredths, o.currency),
      max_balance: currencyAmount(o.maxHundredths, o.currency),
      online_max_balance: currencyAmount(o.maxHundredths, o.currency),
      allocated_amount: currencyAmount(0, o.currency),
      is_access_revoked: false,
    },
    businessId,
    allocations: [],
  };
}

/**
 * Appends an allocation of `hundredths` to the line for client number `client` (ids and names are
 * derived from it) and raises the line's `allocated_amount` by the same amount.
 */
export function addAllocation(line: CreditLineEntry, seq: number, client: number, hundredths: number): AllocationEntry {
  const currency = line.wire.credit_available.currency;
  const entry: AllocationEntry = {
    wire: {
      id: String(ALLOCATION_ID_BASE + seq + 1),
      currency_amount: currencyAmount(hundredths, currency),
      liability_type: 'Normal',
      partition_type: 'FIXED',
      request_status: 'ACTIVE',
      send_bill_to: 'Agency',
      receiving_business: { id: String(CLIENT_BUSINESS_ID_BASE + client + 1), name: `Client ${client + 1}` },
    },
    creditLineId: line.wire.id,
  };
  line.allocations.push(entry);
  const allocated = Number(line.wire.allocated_amount.amount_in_hundredths) + hundredths;
  line.wire.allocated_amount = currencyAmount(allocated, currency);
  return entry;
}

/** The population's lines: one for the first business, shared with two clients. */
export function populationCreditLines(first: { id: string; name: string } | undefined): CreditLineEntry[] {
  if (!first) return [];
  const line = makeCreditLine(creditLineId(0), first.id, first.name, DEMO_CREDIT_LINE);
  for (const [i, h] of DEMO_CREDIT_LINE.allocationsHundredths.entries()) addAllocation(line, i, i, h);
  return [line];
}
