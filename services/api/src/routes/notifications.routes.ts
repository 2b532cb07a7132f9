import { Router } from 'express';
import { z } from 'zod';
import {
  countNotifications,
  createNotification,
  deleteNotification,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  presentNotification,
  type DomainContext,
} from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { notFound } from '@bellhop/errors';
import { actor } from '../auth/caller';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';
import {
  countsSchema,
  createNotificationBody,
  EXAMPLE_NOTIFICATION,
  listQuery,
  notificationSchema,
  notificationType,
} from './notifications.schema';

const hostParams = z.object({ hostId: z.string().min(1).max(64) });
const notificationParams = hostParams.extend({ id: z.string().min(1).max(64) });
const base = '/api/v1/hosts/:hostId/notifications';
const tags = ['Host notifications'];

const create = apiRoutes.add(
  defineRoute({
    method: 'post',
    path: base,
    summary: 'Create a notification for a host',
    tags,
    auth: ['agent', 'admin'],
    scope: 'notifications:write',
    hostParam: 'hostId',
    params: hostParams,
    body: createNotificationBody,
    response: notificationSchema,
    status: 201,
    example: {
      request: {
        type: 'guest_message',
        title: 'New guest message',
        message: 'Can we check in at 2pm?',
        booking_id: 'bkg_01JD0S8M2Q',
        priority: 'medium',
      },
      response: EXAMPLE_NOTIFICATION,
    },
  }),
);
const list = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: base,
    summary: "List the host's notifications (newest first, expired hidden)",
    tags,
    auth: ['host'],
    hostParam: 'hostId',
    params: hostParams,
    query: listQuery,
    response: z.object({ items: z.array(notificationSchema), next_cursor: z.string().nullable() }),
    example: { response: { items: [EXAMPLE_NOTIFICATION], next_cursor: null } },
  }),
);
const count = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: `${base}/count`,
    summary: 'Unread and total counts',
    tags,
    auth: ['host'],
    hostParam: 'hostId',
    params: hostParams,
    response: countsSchema,
    description:
      "Muted types (the host's `notification_preferences.muted_types`) are not counted, as in the live `counts` event; they are listed all the same.",
    example: { response: { unread: 3, total: 12, by_priority: { high: 1, medium: 2, low: 0 } } },
  }),
);
const readAll = apiRoutes.add(
  defineRoute({
    method: 'put',
    path: `${base}/read-all`,
    summary: 'Mark all (optionally one type of) notifications read',
    tags,
    auth: ['host'],
    hostParam: 'hostId',
    params: hostParams,
    body: z.strictObject({ type: notificationType.optional() }),
    response: z.object({ updated: z.number().int() }),
    example: { request: { type: 'guest_message' }, response: { updated: 4 } },
  }),
);
const readOne = apiRoutes.add(
  defineRoute({
    method: 'put',
    path: `${base}/:id/read`,
    summary: 'Mark a notification read',
    tags,
    auth: ['host'],
    hostParam: 'hostId',
    params: notificationParams,
    response: notificationSchema,
    errors: { 404: 'No such notification' },
    example: { response: { ...EXAMPLE_NOTIFICATION, read: true, read_at: '2026-11-23T10:05:00.000Z' } },
  }),
);
const remove = apiRoutes.add(
  defineRoute({
    method: 'delete',
    path: `${base}/:id`,
    summary: 'Delete a notification',
    tags,
    auth: ['host'],
    hostParam: 'hostId',
    params: notificationParams,
    response: z.object({ id: z.string(), deleted: z.literal(true) }),
    errors: { 404: 'No such notification' },
    example: { response: { id: 'ntf_01JD0SA7W3YV8N2K', deleted: true } },
  }),
);

export function notificationRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, create, async (req, res) => {
    const { hostId } = create.parseParams(req);
    const body = create.parseBody(req);
    const row = await createNotification(ctx, actor(req.caller), hostId, {
      type: body.type,
      title: body.title,
      message: body.message,
      bookingId: body.booking_id,
      propertyId: body.property_id,
      priority: body.priority,
      actionRequired: body.action_required,
      actionUrl: body.action_url,
      expiresAt: body.expires_at,
    });
    sendData(res, presentNotification(row), 201);
  });
  mount(router, ctx, list, async (req, res) => {
    const { hostId } = list.parseParams(req);
    const q = list.parseQuery(req);
    const page = await listNotifications(ctx, hostId, {
      unreadOnly: q.unread_only,
      type: q.type,
      priority: q.priority,
      since: q.since,
      limit: q.limit,
      cursor: q.cursor,
    });
    sendData(res, { items: page.items.map(presentNotification), next_cursor: page.nextCursor });
  });
  mount(router, ctx, count, async (req, res) =>
    sendData(res, await countNotifications(ctx, count.parseParams(req).hostId)),
  );
  mount(router, ctx, readAll, async (req, res) => {
    const { hostId } = readAll.parseParams(req);
    sendData(res, { updated: await markAllNotificationsRead(ctx, hostId, readAll.parseBody(req).type) });
  });
  mount(router, ctx, readOne, async (req, res) => {
    const { hostId, id } = readOne.parseParams(req);
    const row = await markNotificationRead(ctx, hostId, id);
    if (!row) throw notFound('Notification');
    sendData(res, presentNotification(row));
  });
  mount(router, ctx, remove, async (req, res) => {
    const { hostId, id } = remove.parseParams(req);
    if (!(await deleteNotification(ctx, hostId, id))) throw notFound('Notification');
    sendData(res, { id, deleted: true });
  });
  return router;
}
