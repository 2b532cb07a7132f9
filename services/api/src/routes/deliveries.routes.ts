import { Router } from 'express';
import { getDelivery, getRecovery, listDeliveries, requestRecovery, retryDelivery, subscriptionStats, type DomainContext } from '@bellhop/domain';
import { sendData } from '@bellhop/http';
import { agentKeyId, allow } from '../auth/caller';
import { presentDelivery, presentDeliveryDetail, presentRecovery, presentStats } from './deliveries.presenter';
import { getOne, list, recover, recovery, retry, stats } from './deliveries.schema';

/** Delivery log, replay and stats of the caller's own subscriptions. */
export function deliveryRoutes(ctx: DomainContext): Router {
  const router = Router();
  const read = allow(ctx, { agentScope: 'webhooks:read' });
  const write = allow(ctx, { agentScope: 'webhooks:write' });

  router.get(list.path, read, async (req, res) => {
    const { id } = list.parseParams(req);
    const query = list.parseQuery(req);
    const page = await listDeliveries(ctx, agentKeyId(req.caller), id, query);
    sendData(res, { items: page.items.map(presentDelivery), next_cursor: page.nextCursor });
  });
  router.get(getOne.path, read, async (req, res) => {
    const { id } = getOne.parseParams(req);
    sendData(res, presentDeliveryDetail(await getDelivery(ctx, agentKeyId(req.caller), id)));
  });
  router.post(retry.path, write, async (req, res) => {
    const { id } = retry.parseParams(req);
    sendData(res, presentDeliveryDetail(await retryDelivery(ctx, agentKeyId(req.caller), id)), 202);
  });
  router.post(recover.path, write, async (req, res) => {
    const { id } = recover.parseParams(req);
    const { since } = recover.parseBody(req);
    sendData(res, presentRecovery(await requestRecovery(ctx, agentKeyId(req.caller), id, new Date(since), req.id)), 202);
  });
  router.get(recovery.path, read, async (req, res) => {
    const { id, recoveryId } = recovery.parseParams(req);
    sendData(res, presentRecovery(await getRecovery(ctx, agentKeyId(req.caller), id, recoveryId)));
  });
  router.get(stats.path, read, async (req, res) => {
    const { id } = stats.parseParams(req);
    sendData(res, presentStats(await subscriptionStats(ctx, agentKeyId(req.caller), id)));
  });
  return router;
}
