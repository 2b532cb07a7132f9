import { Router } from 'express';
import { z } from 'zod';
import {
  autoApproveBooking,
  changeBookingStatus,
  changeStatusSchema,
  createBooking,
  createBookingSchema,
  findBookingForAgent,
  listPendingBookingsForAgent,
  type DomainContext,
} from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';
import { presentBooking, presentBookingStatus, presentPendingBooking } from './bookings.presenter';

const TAGS = ['Bookings'];
const idParams = z.object({ id: z.string().min(1).max(64) });
const booking = {
  id: 'bkg_01JD2W5ZQ8M3',
  property_id: 'prop_01JD2W3K7P1A',
  host_id: 'hst_01JD2W2C4B9F',
  status: 'pending',
  status_reason: null,
  guest_name: 'Ada Lovelace',
  guest_email: 'ada@guest.example',
  guest_phone: '+44 20 7946 0000',
  guests: 2,
  check_in: '2026-12-18',
  check_out: '2026-12-21',
  total_amount: 640.5,
  currency: 'EUR',
  special_requests: 'Late arrival, around 23:00',
  source_channel: 'direct',
  expires_at: '2026-11-24T22:00:00.000Z',
  confirmed_at: null,
  created_at: '2026-11-23T22:00:00.000Z',
  updated_at: '2026-11-23T22:00:00.000Z',
};
const status = {
  booking_id: booking.id,
  status: 'confirmed',
  created_at: booking.created_at,
  updated_at: '2026-11-23T22:05:00.000Z',
  confirmed_at: '2026-11-23T22:05:00.000Z',
  total_amount: 640.5,
};
const transitionErrors = {
  404: 'No such booking',
  409: 'Transition not allowed (invalid_transition, naming the allowed ones), lost a concurrent change (status_conflict) or dates taken (dates_unavailable)',
};

const create = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/bookings',
    summary: 'Create a booking request (pending until the host answers)',
    tags: TAGS,
    auth: ['agent'],
    scope: 'bookings:write',
    body: createBookingSchema,
    status: 201,
    example: {
      request: {
        property_id: booking.property_id,
        guest_name: 'Ada Lovelace',
        guest_email: 'ada@guest.example',
        check_in: '2026-12-18',
        check_out: '2026-12-21',
        guests: 2,
        total_amount: 640.5,
        currency: 'EUR',
        special_requests: 'Late arrival, around 23:00',
      },
      response: booking,
    },
    errors: { 404: 'No such property', 409: 'The stay overlaps a confirmed booking (dates_unavailable)' },
  }),
);
const pending = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/hosts/:hostId/pending-bookings',
    summary: "A host's pending booking requests, newest first",
    tags: TAGS,
    auth: ['agent'],
    scope: 'bookings:read',
    hostParam: 'hostId',
    params: z.object({ hostId: z.string().min(1).max(64) }),
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().min(1).max(64).optional(),
    }),
    example: {
      response: {
        items: [
          {
            ...booking,
            property: { id: booking.property_id, title: 'Seaside Loft', address: '12 Harbour Road, Brighton' },
          },
        ],
        next_cursor: null,
      },
    },
  }),
);
const setStatus = apiRoutes.add(
  defineRoute({
    method: 'put',
    path: '/api/v1/external/bookings/:id/status',
    summary: 'Change a booking status (state machine)',
    tags: TAGS,
    auth: ['agent'],
    scope: 'bookings:write',
    params: idParams,
    body: changeStatusSchema,
    description:
      'pending → confirmed | declined | cancelled | expired; confirmed → started | cancelled; started → completed.',
    example: {
      request: { status: 'confirmed' },
      response: { ...booking, status: 'confirmed', confirmed_at: status.confirmed_at },
    },
    errors: transitionErrors,
  }),
);
const autoApprove = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/bookings/:id/auto-approve',
    summary: "Confirm a booking when the host's auto-approve is on",
    tags: TAGS,
    auth: ['agent'],
    scope: 'bookings:write',
    params: idParams,
    example: {
      response: { ...booking, status: 'confirmed', status_reason: 'auto-approved', confirmed_at: status.confirmed_at },
    },
    errors: {
      ...transitionErrors,
      409: 'auto_approve_disabled, invalid_transition, status_conflict or dates_unavailable',
    },
  }),
);
const getStatus = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/bookings/:id/status',
    summary: 'Current status of a booking',
    tags: TAGS,
    auth: ['agent'],
    scope: 'bookings:read',
    params: idParams,
    example: { response: status },
    errors: { 404: 'No such booking' },
  }),
);

export function bookingRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, create, async (req, res) => {
    sendData(
      res,
      presentBooking(
        await createBooking(ctx, actingAgent(req.caller), create.parseBody(req), {
          requestId: req.id,
          trace: req.trace,
        }),
      ),
      201,
    );
  });
  mount(router, ctx, pending, async (req, res) => {
    const { hostId } = pending.parseParams(req);
    const page = await listPendingBookingsForAgent(ctx, actingAgent(req.caller), hostId, pending.parseQuery(req));
    sendData(res, { items: page.items.map(presentPendingBooking), next_cursor: page.nextCursor });
  });
  mount(router, ctx, setStatus, async (req, res) => {
    const { id } = setStatus.parseParams(req);
    const body = setStatus.parseBody(req);
    sendData(
      res,
      presentBooking(
        await changeBookingStatus(
          ctx,
          actingAgent(req.caller),
          id,
          { to: body.status, reason: body.reason },
          { requestId: req.id, trace: req.trace },
        ),
      ),
    );
  });
  mount(router, ctx, autoApprove, async (req, res) => {
    sendData(
      res,
      presentBooking(
        await autoApproveBooking(ctx, actingAgent(req.caller), autoApprove.parseParams(req).id, {
          requestId: req.id,
          trace: req.trace,
        }),
      ),
    );
  });
  mount(router, ctx, getStatus, async (req, res) => {
    sendData(
      res,
      presentBookingStatus(await findBookingForAgent(ctx, actingAgent(req.caller), getStatus.parseParams(req).id)),
    );
  });
  return router;
}
