import { Router } from 'express';
import { z } from 'zod';
import { getHostSettings, hostSettingsUpdateSchema, updateHostSettings, type DomainContext } from '@bellhop/domain';
import { defineRoute, sendData } from '@bellhop/http';
import { allow } from '../auth/caller';
import { apiRoutes } from '../openapi';

const params = z.object({ hostId: z.string().min(1).max(64) });
const settings = { auto_approve_bookings: true, notification_preferences: { email: true, sms: false, muted_types: ['booking_update'] } };

const read = apiRoutes.add(defineRoute({
  method: 'get', path: '/api/v1/hosts/:hostId/settings', summary: "A host's booking and notification settings", tags: ['Hosts'], auth: ['host'],
  params, example: { response: settings }, errors: { 404: 'No such host' },
}));
const write = apiRoutes.add(defineRoute({
  method: 'put', path: '/api/v1/hosts/:hostId/settings', summary: "Update a host's settings (fields left out keep their value)", tags: ['Hosts'], auth: ['host'],
  params, body: hostSettingsUpdateSchema,
  example: { request: { auto_approve_bookings: true, notification_preferences: { muted_types: ['booking_update'] } }, response: settings }, errors: { 404: 'No such host' },
}));

export function hostSettingsRoutes(ctx: DomainContext): Router {
  const router = Router();
  router.get(read.path, allow(ctx, { hostParam: 'hostId' }), async (req, res) => {
    sendData(res, await getHostSettings(ctx, read.parseParams(req).hostId));
  });
  router.put(write.path, allow(ctx, { hostParam: 'hostId' }), async (req, res) => {
    const { hostId } = write.parseParams(req);
    sendData(res, await updateHostSettings(ctx, hostId, write.parseBody(req)));
  });
  return router;
}
