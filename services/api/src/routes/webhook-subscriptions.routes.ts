import { Router } from 'express';
import {
  createSubscription, deleteSubscription, enableSubscription, getSubscription, listSubscriptions, replaceSubscription,
  rotateSubscriptionSecret, updateSubscription, type DomainContext,
} from '@bellhop/domain';
import { sendData } from '@bellhop/http';
import { agentKeyId, allow } from '../auth/caller';
import { presentSubscription } from './webhook-subscriptions.presenter';
import { create, enable, getOne, list, patch, remove, replace, rotate } from './webhook-subscriptions.schema';

export function webhookSubscriptionRoutes(ctx: DomainContext): Router {
  const router = Router();
  const read = allow(ctx, { agentScope: 'webhooks:read' });
  const write = allow(ctx, { agentScope: 'webhooks:write' });

  router.post(create.path, write, async (req, res) => {
    const body = create.parseBody(req);
    const { subscription, secret } = await createSubscription(ctx, agentKeyId(req.caller), body);
    sendData(res, { ...presentSubscription(subscription), secret }, 201, 'Store the secret now: it is not shown again');
  });
  router.get(list.path, read, async (req, res) => {
    const query = list.parseQuery(req);
    const page = await listSubscriptions(ctx, agentKeyId(req.caller), { limit: query.limit, cursor: query.cursor, isActive: query.is_active });
    sendData(res, { items: page.items.map(presentSubscription), next_cursor: page.nextCursor });
  });
  router.get(getOne.path, read, async (req, res) => {
    const { id } = getOne.parseParams(req);
    sendData(res, presentSubscription(await getSubscription(ctx, agentKeyId(req.caller), id)));
  });
  router.put(replace.path, write, async (req, res) => {
    const { id } = replace.parseParams(req);
    const body = replace.parseBody(req);
    sendData(res, presentSubscription(await replaceSubscription(ctx, agentKeyId(req.caller), id, body)));
  });
  router.patch(patch.path, write, async (req, res) => {
    const { id } = patch.parseParams(req);
    const body = patch.parseBody(req);
    sendData(res, presentSubscription(await updateSubscription(ctx, agentKeyId(req.caller), id, body)));
  });
  router.delete(remove.path, write, async (req, res) => {
    const { id } = remove.parseParams(req);
    const { cancelledDeliveries } = await deleteSubscription(ctx, agentKeyId(req.caller), id);
    sendData(res, { id, deleted: true, cancelled_deliveries: cancelledDeliveries });
  });
  router.post(enable.path, write, async (req, res) => {
    const { id } = enable.parseParams(req);
    sendData(res, presentSubscription(await enableSubscription(ctx, agentKeyId(req.caller), id)));
  });
  router.post(rotate.path, write, async (req, res) => {
    const { id } = rotate.parseParams(req);
    const rotated = await rotateSubscriptionSecret(ctx, agentKeyId(req.caller), id);
    sendData(res, { ...presentSubscription(rotated.subscription), secret: rotated.secret, previous_secret_expires_at: rotated.previousSecretExpiresAt.toISOString() }, 200, 'Store the new secret now: it is not shown again');
  });
  return router;
}
