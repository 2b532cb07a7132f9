import { z } from 'zod';
import { defineRoute } from '@bellhop/http';
import { apiRoutes } from '../openapi';
import { idParams } from './webhook-subscriptions.schema';

const base = '/api/v1/external/webhook-subscriptions/:id/messages';
const tags = ['Pull delivery'];
const auth: ['agent'] = ['agent'];
// Checked for form here; the domain checks it against the subscription (parseCursor, beyondLastMessage).
const cursor = z.string().min(1).max(20);
const errors = {
  400: 'Invalid after, cursor or limit (a cursor past the last message included)',
  404: 'No such subscription (or it belongs to another agent)',
  409: 'The subscription delivers by push (push_subscription)',
};

export const pullMessageSchema = z.object({
  cursor: z.string().describe("This message's place in the subscription: read `after` it, or acknowledge up to it"),
  id: z.string().describe('The event id, sent as webhook-id: de-duplicate on it'),
  delivery_id: z.string(),
  event_type: z.string(),
  created_at: z.string(),
  delivered: z.boolean().describe('Acknowledged already'),
  body: z.string().describe('The exact signed body, as a push would POST it'),
  headers: z
    .object({ 'webhook-id': z.string(), 'webhook-timestamp': z.string(), 'webhook-signature': z.string() })
    .describe('Standard Webhooks headers, signed at read time: verify them as a push receiver does'),
});

const EXAMPLE_MESSAGE = {
  cursor: '42',
  id: 'evt_01JD0T3Q7Z1K',
  delivery_id: 'dlv_01JD0T3Q8M2W',
  event_type: 'booking.created',
  created_at: '2026-11-23T10:00:00.000Z',
  delivered: false,
  body: '{"id":"evt_01JD0T3Q7Z1K","type":"booking.created","event_type":"booking.created","timestamp":"2026-11-23T10:00:00.000Z","booking_id":"bkg_01JD0T3Q5B","property_id":"prp_01JD0S9X","host_id":"hst_01JD0S8W","data":{}}',
  headers: {
    'webhook-id': 'evt_01JD0T3Q7Z1K',
    'webhook-timestamp': '1795431600',
    'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
  },
};

export const read = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: base,
    summary: 'Read the messages of a pull subscription, oldest first',
    description:
      'Without `after`, reading starts after the acknowledged cursor. `next_cursor` is the cursor to read after next ' +
      'time. `resync: true` means the cursor asked for is older than what retention keeps: the messages up to ' +
      '`oldest_cursor` are gone and reading went on from there.',
    tags,
    auth,
    scope: 'webhooks:read',
    params: idParams,
    query: z.object({
      after: cursor.optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
    response: z.object({
      items: z.array(pullMessageSchema),
      next_cursor: z.string(),
      has_more: z.boolean(),
      acked_cursor: z.string(),
      resync: z.boolean(),
      oldest_cursor: z.string(),
    }),
    errors,
    example: {
      response: {
        items: [EXAMPLE_MESSAGE],
        next_cursor: '42',
        has_more: false,
        acked_cursor: '41',
        resync: false,
        oldest_cursor: '0',
      },
    },
  }),
);

export const ack = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: `${base}/ack`,
    summary: 'Acknowledge every message up to and including a cursor (they become delivered)',
    description: 'Idempotent; an older cursor than the acknowledged one changes nothing.',
    tags,
    auth,
    scope: 'webhooks:write',
    params: idParams,
    body: z.strictObject({ cursor }),
    response: z.object({ acked_cursor: z.string(), delivered: z.number().int() }),
    errors,
    example: { request: { cursor: '42' }, response: { acked_cursor: '42', delivered: 1 } },
  }),
);
