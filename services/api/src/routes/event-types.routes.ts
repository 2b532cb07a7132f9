import { Router } from 'express';
import { z } from 'zod';
import type { EventType } from '@bellhop/db';
import { createEventType, listEventTypes, updateEventType, type DomainContext } from '@bellhop/domain';
import { isReservedEventType } from '@bellhop/events';
import { defineRoute, sendData } from '@bellhop/http';
import { conflict, notFound } from '@bellhop/errors';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const eventTypeSchema = z.object({
  name: z.string(),
  description: z.string(),
  schema: z.record(z.string(), z.unknown()),
  archived: z.boolean(),
  archived_at: z.string().nullable(),
  reserved: z.boolean().describe('Bellhop emits this type itself; nobody can record it'),
});
const presentEventType = (t: EventType): z.output<typeof eventTypeSchema> => ({
  name: t.name,
  description: t.description,
  schema: (t.schema ?? {}) as Record<string, unknown>,
  archived: t.archivedAt !== null,
  archived_at: t.archivedAt?.toISOString() ?? null,
  reserved: isReservedEventType(t.name),
});
const EXAMPLE = {
  name: 'booking.created',
  description: 'A booking request was created and awaits the host',
  schema: { type: 'object', properties: { booking_id: { type: 'string' } }, required: ['booking_id'] },
  archived: false,
  archived_at: null,
  reserved: false,
};
// Postgres jsonb cannot store \u0000.
const jsonSchema = z
  .record(z.string(), z.unknown())
  .refine((s) => !JSON.stringify(s).includes('\\u0000'), 'must not contain NUL characters');
const description = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .regex(/^[^\0]*$/, 'must not contain NUL characters');

const list = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/external/event-types',
    summary: 'The event catalog: names, descriptions and data schemas',
    tags: ['Event types'],
    auth: ['agent', 'host', 'admin'],
    query: z.object({
      include_archived: z
        .enum(['true', 'false'])
        .transform((v) => v === 'true')
        .optional(),
    }),
    response: z.object({ items: z.array(eventTypeSchema) }),
    example: { response: { items: [EXAMPLE] } },
  }),
);
const create = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: '/api/v1/admin/event-types',
    summary: 'Add an event type to the catalog',
    tags: ['Event types'],
    auth: ['admin'],
    body: z.strictObject({
      name: z
        .string()
        .max(200)
        .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'lowercase dotted name such as staff.assigned'),
      description,
      schema: jsonSchema.optional(),
    }),
    response: eventTypeSchema,
    status: 201,
    errors: {
      400: 'Invalid input, or a reserved namespace (subscription.*, webhook.*: reserved_event_type)',
      409: 'An event type with this name exists',
    },
    example: {
      request: {
        name: 'staff.shift_swapped',
        description: 'Two staff members swapped shifts',
        schema: { type: 'object', properties: { staff_id: { type: 'string' } } },
      },
      response: { ...EXAMPLE, name: 'staff.shift_swapped', description: 'Two staff members swapped shifts' },
    },
  }),
);
const update = apiRoutes.add(
  defineRoute({
    method: 'patch',
    path: '/api/v1/admin/event-types/:name',
    summary: 'Edit or archive (archived: true) an event type',
    tags: ['Event types'],
    auth: ['admin'],
    params: z.object({
      name: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[a-z0-9_.]+$/, 'not an event type name'),
    }),
    body: z.strictObject({
      description: description.optional(),
      schema: jsonSchema.optional(),
      archived: z.boolean().optional(),
    }),
    response: eventTypeSchema,
    errors: { 400: 'Invalid input, or a type Bellhop emits itself (reserved_event_type)', 404: 'No such event type' },
    example: {
      request: { archived: true },
      response: { ...EXAMPLE, name: 'location.rejected', archived: true, archived_at: '2026-11-23T10:00:00.000Z' },
    },
  }),
);

export function eventTypeRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, list, async (req, res) => {
    const query = list.parseQuery(req);
    const types = await listEventTypes(ctx, { includeArchived: query.include_archived });
    sendData(res, { items: types.map(presentEventType) });
  });
  mount(router, ctx, create, async (req, res) => {
    const body = create.parseBody(req);
    const created = await createEventType(ctx, body);
    if (!created) throw conflict(`Event type ${body.name} already exists`, 'event_type_exists');
    sendData(res, presentEventType(created), 201);
  });
  mount(router, ctx, update, async (req, res) => {
    const { name } = update.parseParams(req);
    const updated = await updateEventType(ctx, name, update.parseBody(req));
    if (!updated) throw notFound('Event type');
    sendData(res, presentEventType(updated));
  });
  return router;
}
