import { z } from 'zod';
import { createSubscriptionSchema, patchSubscriptionSchema, replaceSubscriptionSchema } from '@bellhop/domain';
import { defineRoute } from '@bellhop/http';
import { apiRoutes } from '../openapi';
import { EXAMPLE_SECRET, EXAMPLE_SUBSCRIPTION, subscriptionSchema } from './webhook-subscriptions.presenter';

const base = '/api/v1/external/webhook-subscriptions';
const tags = ['Webhook subscriptions'];
const auth: ['agent'] = ['agent'];
/** A subscription's id in the path (also the pull message routes'). */
export const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'not a subscription id'),
});
const notFoundError = { 404: 'No such subscription (or it belongs to another agent)' };
const badInput = { 400: 'Invalid field, refused webhook_url or unknown event types' };
const { agent_name, webhook_url, events, headers, description } = EXAMPLE_SUBSCRIPTION;
const exampleRequest = { agent_name, webhook_url, events, api_key: 'agent-side-bearer-token', headers, description };

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_-]+$/, 'not a cursor from a previous page')
    .optional(),
  is_active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const create = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: base,
    summary: 'Register a webhook (the signing secret is shown only in this response)',
    tags,
    auth,
    scope: 'webhooks:write',
    body: createSubscriptionSchema,
    response: subscriptionSchema.extend({ secret: z.string() }),
    status: 201,
    errors: badInput,
    example: { request: exampleRequest, response: { ...EXAMPLE_SUBSCRIPTION, secret: EXAMPLE_SECRET } },
  }),
);
export const list = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: base,
    summary: "List the caller's subscriptions (oldest first, cursor paging)",
    tags,
    auth,
    scope: 'webhooks:read',
    query: listQuery,
    response: z.object({ items: z.array(subscriptionSchema), next_cursor: z.string().nullable() }),
    example: { response: { items: [EXAMPLE_SUBSCRIPTION], next_cursor: null } },
  }),
);
export const getOne = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: `${base}/:id`,
    summary: 'Get one subscription',
    tags,
    auth,
    scope: 'webhooks:read',
    params: idParams,
    response: subscriptionSchema,
    errors: notFoundError,
    example: { response: EXAMPLE_SUBSCRIPTION },
  }),
);
export const replace = apiRoutes.add(
  defineRoute({
    method: 'put',
    path: `${base}/:id`,
    summary: 'Replace a subscription (omitted optional fields return to defaults)',
    tags,
    auth,
    scope: 'webhooks:write',
    params: idParams,
    body: replaceSubscriptionSchema,
    response: subscriptionSchema,
    errors: { ...badInput, ...notFoundError },
    example: { request: exampleRequest, response: EXAMPLE_SUBSCRIPTION },
  }),
);
export const patch = apiRoutes.add(
  defineRoute({
    method: 'patch',
    path: `${base}/:id`,
    summary: 'Change some fields of a subscription',
    tags,
    auth,
    scope: 'webhooks:write',
    params: idParams,
    body: patchSubscriptionSchema,
    response: subscriptionSchema,
    errors: { ...badInput, ...notFoundError },
    example: {
      request: { events: ['booking.*'], timeout_ms: 10000 },
      response: { ...EXAMPLE_SUBSCRIPTION, events: ['booking.*'], timeout_ms: 10000 },
    },
  }),
);
export const remove = apiRoutes.add(
  defineRoute({
    method: 'delete',
    path: `${base}/:id`,
    summary: 'Delete a subscription and cancel its pending deliveries',
    tags,
    auth,
    scope: 'webhooks:write',
    params: idParams,
    response: z.object({ id: z.string(), deleted: z.literal(true), cancelled_deliveries: z.number().int() }),
    errors: notFoundError,
    example: { response: { id: EXAMPLE_SUBSCRIPTION.id, deleted: true, cancelled_deliveries: 2 } },
  }),
);
export const enable = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: `${base}/:id/enable`,
    summary: 'Re-enable a subscription and reset its failure count',
    tags,
    auth,
    scope: 'webhooks:write',
    params: idParams,
    response: subscriptionSchema,
    errors: notFoundError,
    example: { response: EXAMPLE_SUBSCRIPTION },
  }),
);
export const signingKey = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: `${base}/:id/signing-key`,
    summary: 'The public keys that verify v1a (Ed25519) signatures',
    tags,
    auth,
    scope: 'webhooks:read',
    description:
      'public_key is null until the subscription signs with v1a (signature_scheme v1a or both). ' +
      'After a rotation the old key keeps signing until its expires_at: verify with every key listed.',
    params: idParams,
    errors: notFoundError,
    response: z.object({
      signature_scheme: z.enum(['v1', 'v1a', 'both']),
      public_key: z.string().nullable(),
      previous_public_keys: z.array(z.object({ public_key: z.string(), expires_at: z.string() })),
    }),
    example: {
      response: {
        signature_scheme: 'v1a',
        public_key: 'whpk_A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=',
        previous_public_keys: [],
      },
    },
  }),
);
export const rotate = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: `${base}/:id/rotate-secret`,
    summary: 'Rotate the signing secret, and the v1a key pair (the old ones keep signing during the overlap)',
    tags,
    auth,
    scope: 'webhooks:write',
    params: idParams,
    response: subscriptionSchema.extend({ secret: z.string(), previous_secret_expires_at: z.string() }),
    errors: notFoundError,
    example: {
      response: {
        ...EXAMPLE_SUBSCRIPTION,
        secret: EXAMPLE_SECRET,
        previous_secret_expires_at: '2026-11-24T10:00:00.000Z',
      },
    },
  }),
);
