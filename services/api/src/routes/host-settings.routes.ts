import { Router } from 'express';
import { z } from 'zod';
import { getHostSettings, hostSettingsUpdateSchema, updateHostSettings, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { mount } from '../auth/guard';
import { apiRoutes } from '../openapi';

const params = z.object({ hostId: z.string().min(1).max(64) });
const settings = {
  auto_approve_bookings: true,
  notification_preferences: { email: true, sms: false, muted_types: ['booking_update'] },
};

const read = apiRoutes.add(
  defineRoute({
    method: 'get',
    path: '/api/v1/hosts/:hostId/settings',
    summary: "A host's booking and notification settings",
    tags: ['Hosts'],
    auth: ['host'],
    hostParam: 'hostId',
    params,
    example: { response: settings },
    errors: { 404: 'No such host' },
  }),
);
const write = apiRoutes.add(
  defineRoute({
    method: 'put',
    path: '/api/v1/hosts/:hostId/settings',
    summary: "Update a host's settings (fields left out keep their value)",
    tags: ['Hosts'],
    auth: ['host'],
    hostParam: 'hostId',
    params,
    body: hostSettingsUpdateSchema,
    example: {
      request: { auto_approve_bookings: true, notification_preferences: { muted_types: ['booking_update'] } },
      response: settings,
    },
    errors: { 404: 'No such host' },
  }),
);

export function hostSettingsRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, read, async (req, res) => {
    sendData(res, await getHostSettings(ctx, read.parseParams(req).hostId));
  });
  mount(router, ctx, write, async (req, res) => {
    const { hostId } = write.parseParams(req);
    sendData(res, await updateHostSettings(ctx, hostId, write.parseBody(req)));
  });
  return router;
}
