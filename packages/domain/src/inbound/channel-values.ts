import { isoDate } from '../bookings/booking.schema';
import { UnreadableValue } from './required-values';

// Readers for values in channel payloads. Each returns undefined when the value is not there
// and throws UnreadableValue when it is there but is not what it should be; none has a default.

const absent = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
// bookings.total_amount is numeric(12,2).
const MAX_CENTS = 10n ** 12n;

function checkedCents(cents: bigint, value: unknown): bigint {
  if (cents >= MAX_CENTS || cents <= -MAX_CENTS) throw new UnreadableValue(`${JSON.stringify(value)} is too large`);
  return cents;
}

/**
 * A major-unit amount (640.5, "640.50") as whole cents, by decimal arithmetic on its text, never
 * through floating-point sums. More than two decimals round half away from zero, as numeric(12,2) would.
 */
export function centsFromMajor(value: unknown): bigint | undefined {
  if (absent(value)) return undefined;
  // A JSON number's shortest text is the one the sender wrote (640.5 → "640.5").
  const match = typeof value === 'number' || typeof value === 'string' ? DECIMAL.exec(String(value).trim()) : null;
  if (!match) throw new UnreadableValue(`${JSON.stringify(value)} is not an amount`);
  const [, sign, whole, fraction = ''] = match;
  const kept = BigInt(whole + fraction.padEnd(2, '0').slice(0, 2));
  const cents = fraction.length > 2 && fraction[2] >= '5' ? kept + 1n : kept;
  return checkedCents(sign === '-' ? -cents : cents, value);
}

/** A minor-unit amount (12345 = 123.45) as cents; it must be a whole number. */
export function centsFromMinor(value: unknown): bigint | undefined {
  if (absent(value)) return undefined;
  const text = typeof value === 'number' || typeof value === 'string' ? String(value).trim() : '';
  if (!/^[+-]?\d+$/.test(text))
    throw new UnreadableValue(`${JSON.stringify(value)} is not a whole number of minor units`);
  return checkedCents(BigInt(text), value);
}

/** Cents as the number stored in total_amount (the closest double to the exact decimal, as Prisma writes it). */
export const amountFromCents = (cents: bigint) => Number(cents) / 100;

/** An ISO 4217 code, upper-cased. */
export function currencyCode(value: unknown): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z]{3}$/.test(value.trim()))
    throw new UnreadableValue(`${JSON.stringify(value)} is not a currency code`);
  return value.trim().toUpperCase();
}

/** The calendar day a date or local date-time names ("2027-03-12", "2027-03-12 16:00:00", "2027-04-02T16:00:00-04:00"). */
export function calendarDay(value: unknown): string | undefined {
  if (absent(value)) return undefined;
  const day = typeof value === 'string' ? value.trim().slice(0, 10) : '';
  if (!isoDate.safeParse(day).success) throw new UnreadableValue(`${JSON.stringify(value)} is not a date`);
  return day;
}

/** A channel id (number or string) as text. */
export function channelId(value: unknown): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new UnreadableValue(`${JSON.stringify(value)} is not an id`);
  return String(value).trim();
}
