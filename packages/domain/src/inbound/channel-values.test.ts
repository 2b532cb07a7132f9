import { amountFromCents, calendarDay, centsFromMajor, centsFromMinor, currencyCode } from './channel-values';
import { UnreadableValue } from './required-values';

describe('channel amounts are exact', () => {
  it('reads major units from numbers and strings by their decimal text', () => {
    expect(centsFromMajor('640.50')).toBe(64050n);
    expect(centsFromMajor(640.5)).toBe(64050n);
    expect(centsFromMajor(' 1234.05 ')).toBe(123405n);
    expect(centsFromMajor(267)).toBe(26700n);
    expect(centsFromMajor('0')).toBe(0n);
    expect(centsFromMajor(-48.15)).toBe(-4815n);
    // 1.005 * 100 is 100.49999… in floating point; decimal rounding keeps the cent.
    expect(centsFromMajor(1.005)).toBe(101n);
    expect(centsFromMajor(0.30000000000000004)).toBe(30n);
  });

  it('reads minor units as whole cents: 12345 = 123.45', () => {
    expect(centsFromMinor(12345)).toBe(12345n);
    expect(centsFromMinor('128075')).toBe(128075n);
    expect(centsFromMinor(-4815)).toBe(-4815n);
    expect(() => centsFromMinor(123.5)).toThrow(UnreadableValue);
    expect(amountFromCents(12345n)).toBe(123.45);
    expect(amountFromCents(123405n)).toBe(1234.05);
  });

  it('tells absent (undefined) from unreadable (throws), and defaults nothing', () => {
    for (const absent of [undefined, null, '', '  ']) {
      expect(centsFromMajor(absent)).toBeUndefined();
      expect(centsFromMinor(absent)).toBeUndefined();
      expect(currencyCode(absent)).toBeUndefined();
      expect(calendarDay(absent)).toBeUndefined();
    }
    for (const bad of ['12,50', 'abc', {}, true, '1e3']) expect(() => centsFromMajor(bad)).toThrow(UnreadableValue);
    expect(() => centsFromMajor('99999999999.99')).toThrow(/too large/);
  });
});

describe('channel dates and currencies', () => {
  it('keeps the calendar day of a date or a local date-time', () => {
    expect(calendarDay('2027-03-12')).toBe('2027-03-12');
    expect(calendarDay('2027-06-03 16:00:00')).toBe('2027-06-03');
    expect(calendarDay('2027-04-02T16:00:00-04:00')).toBe('2027-04-02');
    expect(() => calendarDay('2027-02-30')).toThrow(UnreadableValue);
    expect(() => calendarDay('12/03/2027')).toThrow(UnreadableValue);
  });

  it('upper-cases ISO currency codes and refuses anything else', () => {
    expect(currencyCode('usd')).toBe('USD');
    expect(() => currencyCode('$')).toThrow(UnreadableValue);
    expect(() => currencyCode(978)).toThrow(UnreadableValue);
  });
});
