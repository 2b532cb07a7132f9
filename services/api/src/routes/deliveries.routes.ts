import { Router } from 'express';
import {
  dataRetainedSince,
  getDelivery,
  getRecovery,
  listDeliveries,
  requestRecovery,
  retryDelivery,
  subscriptionStats,
  type DomainContext,
} from '@bellhop/domain';
import { sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { presentDelivery, presentDeliveryDetail, presentRecovery, presentStats } from './deliveries.presenter';
import { getOne, list, recover, recovery, retry, stats } from './deliveries.schema';

/** Delivery log, replay and stats of the caller's own subscriptions. */
export function deliveryRoutes(ctx: DomainContext): Router {
  const router = Router();

  mount(router, ctx, list, async (req, res) => {
    const { id } = list.parseParams(req);
    const query = list.parseQuery(req);
    const page = await listDeliveries(ctx, actingAgent(req.caller).id, id, query);
    sendData(res, { items: page.items.map(presentDelivery), next_cursor: page.nextCursor });
  });
  mount(router, ctx, getOne, async (req, res) => {
    const { id } = getOne.parseParams(req);
    sendData(res, presentDeliveryDetail(await getDelivery(ctx, actingAgent(req.caller).id, id)));
  });
  mount(router, ctx, retry, async (req, res) => {
    const { id } = retry.parseParams(req);
    sendData(res, presentDeliveryDetail(await retryDelivery(ctx, actingAgent(req.caller).id, id)), 202);
  });
  mount(router, ctx, recover, async (req, res) => {
    const { id } = recover.parseParams(req);
    const { since } = recover.parseBody(req);
    sendData(
      res,
      presentRecovery(
        await requestRecovery(ctx, actingAgent(req.caller).id, id, new Date(since), req.id),
        dataRetainedSince(ctx.config),
      ),
      202,
    );
  });
  mount(router, ctx, recovery, async (req, res) => {
    const { id, recoveryId } = recovery.parseParams(req);
    sendData(
      res,
      presentRecovery(
        await getRecovery(ctx, actingAgent(req.caller).id, id, recoveryId),
        dataRetainedSince(ctx.config),
      ),
    );
  });
  mount(router, ctx, stats, async (req, res) => {
    const { id } = stats.parseParams(req);
    sendData(res, presentStats(await subscriptionStats(ctx, actingAgent(req.caller).id, id)));
  });
  return router;
}
