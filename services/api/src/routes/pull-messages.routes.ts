import { Router } from 'express';
import { ackPullMessages, parseCursor, readPullMessages, type DomainContext } from '@bellhop/domain';
import { sendData } from '@bellhop/http';
import { actingAgent } from '../auth/caller';
import { mount } from '../auth/guard';
import { ack, read } from './pull-messages.schema';

/** Pull delivery: an agent without a public URL reads its subscription's messages and acknowledges them. */
export function pullMessageRoutes(ctx: DomainContext): Router {
  const router = Router();
  mount(router, ctx, read, async (req, res) => {
    const { id } = read.parseParams(req);
    const query = read.parseQuery(req);
    const after = query.after === undefined ? undefined : parseCursor(query.after, 'after');
    sendData(res, await readPullMessages(ctx, actingAgent(req.caller).id, id, { after, limit: query.limit }));
  });
  mount(router, ctx, ack, async (req, res) => {
    const { id } = ack.parseParams(req);
    const { cursor } = ack.parseBody(req);
    sendData(res, await ackPullMessages(ctx, actingAgent(req.caller).id, id, parseCursor(cursor, 'cursor')));
  });
  return router;
}
