import { Router, type Request } from 'express';
import { z } from 'zod';
import { receiveInbound, type DomainContext, type InboundProvider } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { apiRoutes } from '../openapi';

const params = z.object({ connectionId: z.string().min(1).max(64) });
const outcome = z.object({ status: z.enum(['accepted', 'duplicate', 'ignored']), receipt_id: z.string() });
const errors = {
  400: 'Malformed JSON',
  401: 'Bad credentials',
  404: 'Unknown or inactive connection',
  415: 'Body is not application/json',
};

const hostaway = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/inbound/hostaway/:connectionId',
    summary: 'Receive a Hostaway unified webhook',
    tags: ['Inbound'],
    auth: ['basic'],
    description:
      'HTTP Basic auth with the login and password printed by `cli inbound create`. Stored, then processed asynchronously; a redelivery answers `duplicate`.',
    params,
    response: outcome,
    errors,
    body: z.looseObject({
      object: z.string(),
      event: z.string(),
      accountId: z.number(),
      data: z.record(z.string(), z.unknown()),
    }),
    example: {
      request: {
        object: 'reservation',
        event: 'reservation.created',
        accountId: 31337,
        data: {
          id: 40751234,
          listingMapId: 180442,
          listingName: 'Seaside Loft',
          guestName: 'Ada Lovelace',
          arrivalDate: '2026-12-18',
          departureDate: '2026-12-21',
          numberOfGuests: 2,
          totalPrice: 640.5,
          currency: 'EUR',
          status: 'new',
          isInstantBooked: 1,
        },
      },
      response: { status: 'accepted', receipt_id: 'rcp_01JD2X0G6S4N' },
    },
  }),
);
const hospitable = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/inbound/hospitable/:connectionId',
    summary: 'Receive a Hospitable webhook',
    tags: ['Inbound'],
    auth: ['signature'],
    description:
      '`Signature` header = hex HMAC-SHA256 of the exact raw body with the connection secret. Deduplicated on the payload `id`.',
    params,
    response: outcome,
    errors,
    body: z.looseObject({
      id: z.string(),
      action: z.string(),
      data: z.record(z.string(), z.unknown()),
      created: z.string(),
      version: z.string(),
    }),
    example: {
      request: {
        id: '01JD2X3V7Y9K8Q',
        action: 'reservation.created',
        created: '2026-11-23T22:00:00Z',
        version: 'v2',
        data: {
          id: 'b3c1e7a2-5d0f-4a8e-9c61-0f2d7e4b1a90',
          reservation_status: { current: { category: 'request' } },
          arrival_date: '2027-04-02T16:00:00-06:00',
          departure_date: '2027-04-06T11:00:00-06:00',
          guests: { total: 3 },
          guest: { first_name: 'Grace', last_name: 'Hopper', email: 'grace@guest.example' },
          financials: { currency: 'USD', guest: { total_price: { amount: 128075, formatted: '$1,280.75' } } },
          properties: [{ id: 'f2a9c3d4-1b7e-4c5a-8d0f-3e6b9a1c2d7e', public_name: 'Mountain Cabin' }],
        },
      },
      response: { status: 'accepted', receipt_id: 'rcp_01JD2X3W0A1B' },
    },
  }),
);

const deliveryFrom = (req: Request, provider: InboundProvider, connectionId: string) => ({
  provider,
  connectionId,
  rawBody: req.rawBody,
  body: req.body as unknown,
  authorization: req.get('authorization'),
  signature: req.get('signature'),
  requestId: req.id,
  trace: req.trace,
});

/** Channel-manager webhooks: authenticate, store the raw receipt, answer in milliseconds. */
export function inboundRoutes(ctx: DomainContext): Router {
  const router = Router();
  router.post(hostaway.path, async (req, res) => {
    const { connectionId } = hostaway.parseParams(req);
    sendData(res, await receiveInbound(ctx, deliveryFrom(req, 'hostaway', connectionId)));
  });
  router.post(hospitable.path, async (req, res) => {
    const { connectionId } = hospitable.parseParams(req);
    sendData(res, await receiveInbound(ctx, deliveryFrom(req, 'hospitable', connectionId)));
  });
  return router;
}
