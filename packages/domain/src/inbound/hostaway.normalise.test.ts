import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '@bellhop/errors';
import { normaliseHostaway } from './hostaway.normalise';
import type { NormalisedReservation } from './inbound.types';

const payload = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures/hostaway', `${name}.json`), 'utf8'));
function reservation(name: string): NormalisedReservation {
  const change = normaliseHostaway(payload(name));
  if (change.kind !== 'reservation') throw new Error(`expected a reservation, got ${change.kind}`);
  return change.reservation;
}

describe('normaliseHostaway: money, currency, dates and listing come from the payload only', () => {
  it('totalPrice in major units, as a number or a string', () => {
    expect(reservation('reservation-created')).toMatchObject({
      externalId: '40751234',
      totalAmount: 640.5,
      currency: 'EUR',
      checkIn: '2027-03-12',
      checkOut: '2027-03-15',
      property: { externalId: '180442' },
    });
    expect(reservation('reservation-cancelled')).toMatchObject({ totalAmount: 640.5, status: 'cancelled' });
    expect(reservation('reservation-string-price')).toMatchObject({
      totalAmount: 1234.05,
      currency: 'EUR',
      property: { externalId: '180442' },
    });
  });

  it("without totalPrice: the channel's total among the finance fields", () => {
    expect(reservation('reservation-total-from-channel')).toMatchObject({
      externalId: '40751301',
      totalAmount: 812.4,
      currency: 'GBP',
      status: 'confirmed',
    });
  });

  it('without either: the sum of the finance fields included in the total (deleted ones and totals left out)', () => {
    expect(reservation('reservation-breakdown-only')).toMatchObject({
      totalAmount: 640.5,
      currency: 'USD',
      checkIn: '2027-06-03',
      checkOut: '2027-06-06',
    });
  });

  it('fails naming every missing value and where it looked; placeholder dates (isDatesUnspecified) count as missing', () => {
    const attempt = () => normaliseHostaway(payload('reservation-missing-values'));
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(
      'reservation 40751304: no total price (looked at totalPrice, financeField totalPriceFromChannel, financeField isIncludedInTotalPrice); ' +
        'no currency (looked at currency); no check-in date (looked at arrivalDate (isDatesUnspecified = 1)); ' +
        'no check-out date (looked at departureDate (isDatesUnspecified = 1)); no listing id (looked at listingMapId)',
    );
  });

  it('fails on a value it cannot read instead of looking past it', () => {
    const body = payload('reservation-created');
    body.data.totalPrice = '640,50';
    expect(() => normaliseHostaway(body)).toThrow(
      'reservation 40751234: total price unreadable: totalPrice "640,50" is not an amount',
    );
    const included = payload('reservation-breakdown-only');
    delete included.data.financeField[1].total;
    expect(() => normaliseHostaway(included)).toThrow('financeField isIncludedInTotalPrice cleaningFee has no total');
  });

  it('a listing or message without its id fails rather than being keyed "undefined"', () => {
    const listing = payload('listing-updated');
    delete listing.data.id;
    expect(() => normaliseHostaway(listing)).toThrow('listing: no listing id (looked at id)');
    const message = payload('message-received');
    message.data.id = null;
    expect(() => normaliseHostaway(message)).toThrow('message: no message id (looked at id)');
  });

  it('owner stays are ignored before anything is required of them', () => {
    const body = payload('reservation-missing-values');
    body.data.status = 'ownerStay';
    expect(normaliseHostaway(body)).toEqual({
      kind: 'ignored',
      reason: 'Hostaway status ownerStay is not a guest booking',
    });
  });
});
