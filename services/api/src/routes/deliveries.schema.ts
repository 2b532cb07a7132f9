import { z } from 'zod';
import { defineRoute } from '@bellhop/http';
import { apiRoutes } from '../openapi';
import { deliveryDetailSchema, deliverySchema, recoverySchema, statsSchema } from './deliveries.presenter';

const tags = ['Deliveries'];
const auth: ['agent'] = ['agent'];
const subscriptionParams = z.object({ id: z.string().min(1).max(64) });
const deliveryParams = z.object({ id: z.string().min(1).max(64) });
const notFound = { 404: 'Not found, or not yours' };

const EXAMPLE_DELIVERY = {
  id: 'dlv_01JD0T3Q8M2W',
  subscription_id: 'sub_01JD0S7A3VNC',
  event_id: 'evt_01JD0T3Q7Z1K',
  event_type: 'booking.created',
  event_created_at: '2026-11-23T10:00:00.000Z',
  status: 'pending' as const,
  attempts: 1,
  next_attempt_at: '2026-11-23T10:05:05.000Z',
  last_attempt_at: '2026-11-23T10:00:05.000Z',
  last_status_code: 503,
  last_error: 'HTTP 503',
  cancelled_reason: null,
  completed_at: null,
  created_at: '2026-11-23T10:00:00.100Z',
  held_since: null,
  paused_since: null,
};
const EXAMPLE_DETAIL = {
  ...EXAMPLE_DELIVERY,
  attempt_log: [
    {
      number: 1,
      started_at: '2026-11-23T10:00:00.200Z',
      duration_ms: 182,
      status_code: 503,
      response_excerpt: 'Service Unavailable',
      error: 'HTTP 503',
    },
  ],
};

export const list = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/webhook-subscriptions/:id/deliveries',
    summary: 'List deliveries of one of your subscriptions (newest first, cursor paging)',
    tags,
    auth,
    scope: 'webhooks:read',
    params: subscriptionParams,
    query: z.object({
      status: z.enum(['pending', 'succeeded', 'failed', 'cancelled']).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: z.string().min(1).max(64).optional(),
    }),
    response: z.object({ items: z.array(deliverySchema), next_cursor: z.string().nullable() }),
    example: { response: { items: [EXAMPLE_DELIVERY], next_cursor: null } },
    errors: notFound,
  }),
);

export const getOne = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/deliveries/:id',
    summary: 'One delivery with its attempt log',
    tags,
    auth,
    scope: 'webhooks:read',
    params: deliveryParams,
    response: deliveryDetailSchema,
    example: { response: EXAMPLE_DETAIL },
    errors: notFound,
  }),
);

export const retry = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/deliveries/:id/retry',
    summary: 'Send a failed or cancelled delivery again now',
    tags,
    auth,
    scope: 'webhooks:write',
    params: deliveryParams,
    response: deliveryDetailSchema,
    status: 202,
    example: { response: { ...EXAMPLE_DETAIL, status: 'pending' } },
    errors: {
      ...notFound,
      409: 'The subscription is disabled, the delivery is not failed/cancelled, or it changed while being retried',
    },
  }),
);

const EXAMPLE_RECOVERY = {
  recovery_id: 'rcv_01JD0V2K9XQ4',
  subscription_id: 'sub_01JD0S7A3VNC',
  since: '2026-11-22T00:00:00.000Z',
  status: 'queued' as const,
  resent: 0,
  capped: false,
  until: null,
  error: null,
  created_at: '2026-11-23T10:00:00.000Z',
  finished_at: null,
  data_retained_since: '2026-10-24T10:00:00.000Z',
};

export const recover = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/external/webhook-subscriptions/:id/recover',
    summary: 'Resend the failed and cancelled deliveries created since a time, in the background',
    description:
      'Answers 202 with a queued recovery; poll GET …/recoveries/{recovery_id}. `since` reaches back at most 14 days, ' +
      'and not before `data_retained_since` (older data is purged after DATA_RETENTION). One recovery re-opens at most 10,000 deliveries, oldest first: ' +
      'when it stops there it says `capped: true` and `until`, the creation time it reached, so another recovery from `since = until` can continue. ' +
      'A delivery that succeeded meanwhile is never sent again.',
    tags,
    auth,
    scope: 'webhooks:write',
    params: subscriptionParams,
    body: z.object({ since: z.iso.datetime({ offset: true }) }),
    response: recoverySchema,
    status: 202,
    example: { request: { since: '2026-11-22T00:00:00Z' }, response: EXAMPLE_RECOVERY },
    errors: {
      400: '`since` is not a date-time, is more than 14 days ago, or is before `data_retained_since`',
      ...notFound,
      409: 'The subscription is disabled; re-enable it first',
    },
  }),
);

export const recovery = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/webhook-subscriptions/:id/recoveries/:recoveryId',
    summary: 'How a recovery is going: status, deliveries resent, whether it was capped',
    tags,
    auth,
    scope: 'webhooks:read',
    params: subscriptionParams.extend({ recoveryId: z.string().min(1).max(64) }),
    response: recoverySchema,
    example: {
      response: {
        ...EXAMPLE_RECOVERY,
        status: 'completed',
        resent: 10_000,
        capped: true,
        until: '2026-11-22T18:42:10.120Z',
        finished_at: '2026-11-23T10:00:04.310Z',
      },
    },
    errors: notFound,
  }),
);

export const stats = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/webhook-subscriptions/:id/stats',
    summary: 'Delivery counts, success rate and latency over the last 24 hours, and how far back data goes',
    tags,
    auth,
    scope: 'webhooks:read',
    params: subscriptionParams,
    response: statsSchema,
    example: {
      response: {
        window: '24h',
        counts: { pending: 1, succeeded: 240, failed: 2, cancelled: 0 },
        success_rate: 0.9917,
        latency_p50_ms: 120,
        latency_p95_ms: 480,
        failed_attempts: 0,
        last_successful_call: '2026-11-23T09:59:58.000Z',
        data_retained_since: '2026-10-24T10:00:00.000Z',
      },
    },
    errors: notFound,
  }),
);
