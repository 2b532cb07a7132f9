import { Router } from 'express';
import {
  createSubscription,
  deleteSubscription,
  enableSubscription,
  getSubscription,
  listSubscriptions,
  replaceSubscription,
  rotateSubscriptionSecret,
  subscriptionPublicKeys,
  updateSubscription,
  type DomainContext,
} from '@bellhop/domain';
import { sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { presentSubscription } from './webhook-subscriptions.presenter';
import {
  create,
  enable,
  getOne,
  list,
  patch,
  remove,
  replace,
  rotate,
  signingKey,
} from './webhook-subscriptions.schema';

export function webhookSubscriptionRoutes(ctx: DomainContext): Router {
  const router = Router();

  mount(router, ctx, create, async (req, res) => {
    const body = create.parseBody(req);
    const { subscription, secret } = await createSubscription(ctx, actingAgent(req.caller).id, body);
    sendData(res, { ...presentSubscription(subscription), secret }, 201, 'Store the secret now: it is not shown again');
  });
  mount(router, ctx, list, async (req, res) => {
    const query = list.parseQuery(req);
    const page = await listSubscriptions(ctx, actingAgent(req.caller).id, {
      limit: query.limit,
      cursor: query.cursor,
      isActive: query.is_active,
    });
    sendData(res, { items: page.items.map(presentSubscription), next_cursor: page.nextCursor });
  });
  mount(router, ctx, getOne, async (req, res) => {
    const { id } = getOne.parseParams(req);
    sendData(res, presentSubscription(await getSubscription(ctx, actingAgent(req.caller).id, id)));
  });
  mount(router, ctx, replace, async (req, res) => {
    const { id } = replace.parseParams(req);
    const body = replace.parseBody(req);
    sendData(res, presentSubscription(await replaceSubscription(ctx, actingAgent(req.caller).id, id, body)));
  });
  mount(router, ctx, patch, async (req, res) => {
    const { id } = patch.parseParams(req);
    const body = patch.parseBody(req);
    sendData(res, presentSubscription(await updateSubscription(ctx, actingAgent(req.caller).id, id, body)));
  });
  mount(router, ctx, remove, async (req, res) => {
    const { id } = remove.parseParams(req);
    const { cancelledDeliveries } = await deleteSubscription(ctx, actingAgent(req.caller).id, id);
    sendData(res, { id, deleted: true, cancelled_deliveries: cancelledDeliveries });
  });
  mount(router, ctx, enable, async (req, res) => {
    const { id } = enable.parseParams(req);
    sendData(res, presentSubscription(await enableSubscription(ctx, actingAgent(req.caller).id, id)));
  });
  mount(router, ctx, rotate, async (req, res) => {
    const { id } = rotate.parseParams(req);
    const rotated = await rotateSubscriptionSecret(ctx, actingAgent(req.caller).id, id);
    sendData(
      res,
      {
        ...presentSubscription(rotated.subscription),
        secret: rotated.secret,
        previous_secret_expires_at: rotated.previousSecretExpiresAt.toISOString(),
      },
      200,
      'Store the new secret now: it is not shown again',
    );
  });
  mount(router, ctx, signingKey, async (req, res) => {
    const sub = await getSubscription(ctx, actingAgent(req.caller).id, signingKey.parseParams(req).id);
    const keys = subscriptionPublicKeys(sub);
    sendData(res, {
      signature_scheme: sub.signatureScheme,
      public_key: keys.current,
      previous_public_keys: keys.previous.map((p) => ({
        public_key: p.publicKey,
        expires_at: p.expiresAt.toISOString(),
      })),
    });
  });
  return router;
}
