import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DomainError } from '@bellhop/errors';
import { normaliseHospitable } from './hospitable.normalise';
import type { NormalisedReservation } from './inbound.types';

const payload = (name: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures/hospitable', `${name}.json`), 'utf8'));
function reservation(name: string): NormalisedReservation {
  const change = normaliseHospitable(payload(name));
  if (change.kind !== 'reservation') throw new Error(`expected a reservation, got ${change.kind}`);
  return change.reservation;
}

describe('normaliseHospitable: money, currency, dates and property come from the payload only', () => {
  it("the guest's total price in minor units; the currency of the financials or of that amount", () => {
    expect(reservation('reservation-created')).toMatchObject({
      totalAmount: 1280.75,
      currency: 'USD',
      checkIn: '2027-04-02',
      checkOut: '2027-04-06',
      property: { externalId: 'f2a9c3d4-1b7e-4c5a-8d0f-3e6b9a1c2d7e' },
    });
    expect(reservation('reservation-accepted')).toMatchObject({
      externalId: 'e4b7c2d9-3a1f-4c8e-9b2d-7f6a5e4d3c21',
      status: 'confirmed',
      totalAmount: 943.1,
      currency: 'EUR',
      guests: 4,
      checkIn: '2027-02-11',
      checkOut: '2027-02-15',
      property: {
        externalId: '6c0d8e2f-4a1b-4c3d-9e8f-7a6b5c4d3e2f',
        title: 'Stone Farmhouse by the Loire',
        address: '12 Chemin des Vignes, 37400 Amboise, FR',
      },
    });
  });

  it("never takes the host's revenue for the guest's total; the property's currency and check_in/check_out are alternatives", () => {
    const body = payload('reservation-host-financials-only');
    expect(() => normaliseHospitable(body)).toThrow('no total price (looked at financials.guest.total_price)');
    body.data.financials.guest = { total_price: { amount: 70150 } };
    const change = normaliseHospitable(body);
    expect(change.kind === 'reservation' && change.reservation).toMatchObject({
      totalAmount: 701.5,
      currency: 'CAD',
      checkIn: '2027-08-14',
      checkOut: '2027-08-18',
    });
  });

  it('fails naming every missing value and where it looked', () => {
    const attempt = () => normaliseHospitable(payload('reservation-missing-values'));
    expect(attempt).toThrow(DomainError);
    expect(attempt).toThrow(
      'reservation 0d2f4b6c-8e1a-4c3e-9a5b-7c9e1f3a5b70: no total price (looked at financials.guest.total_price); ' +
        'no currency (looked at financials.currency, financials.guest.total_price.currency, properties[0].currency); ' +
        'no check-in date (looked at arrival_date, check_in); no check-out date (looked at departure_date, check_out); ' +
        'no listing id (looked at properties[0].id)',
    );
  });

  it('a fractional minor-unit amount is unreadable, not rounded', () => {
    const body = payload('reservation-created');
    body.data.financials.guest.total_price.amount = 128075.5;
    expect(() => normaliseHospitable(body)).toThrow(
      'total price unreadable: financials.guest.total_price 128075.5 is not a whole number of minor units',
    );
  });

  it('property.merged names the property that goes away and the one it became (previous_id, new_id)', () => {
    expect(normaliseHospitable(payload('property-merged'))).toEqual({
      kind: 'property',
      action: 'merged',
      mergedInto: 'f2a9c3d4-1b7e-4c5a-8d0f-3e6b9a1c2d7e',
      property: { externalId: '3e5a7c9b-1d2f-4a6c-8e0b-2d4f6a8c0e1f', title: undefined, address: null },
    });
    const deleted = { ...payload('property-changed'), action: 'property.deleted', data: {} };
    expect(() => normaliseHospitable(deleted)).toThrow('property: no property id (looked at id)');
  });

  it("a message is known by its own id, else by the platform's message id, else by the webhook's", () => {
    const body = payload('message-created');
    expect(normaliseHospitable(body)).toMatchObject({ kind: 'message', externalId: '5521903' });
    delete body.data.id;
    expect(normaliseHospitable(body)).toMatchObject({ externalId: 'airbnb:88120944' });
    delete body.data.platform_id;
    expect(normaliseHospitable(body)).toMatchObject({ externalId: '01JD3B1N4P8R2T6V0X3Z5A7C9E' });
  });

  it('a review links to the reservation its v2 payload names', () => {
    expect(normaliseHospitable(payload('review-created'))).toMatchObject({
      kind: 'review',
      reservationExternalId: 'b3c1e7a2-5d0f-4a8e-9c61-0f2d7e4b1a90',
      rating: 5,
    });
  });
});
