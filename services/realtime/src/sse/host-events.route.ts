import { Router, type Request } from 'express';
import { bearerToken, verifyHostToken } from '@bellhop/auth';
import type { Config } from '@bellhop/config';
import { forbidden } from '@bellhop/errors';
import { unauthorized } from '@bellhop/http';
import { redisKeys, type RedisClient } from '@bellhop/queue';
import type { ConnectionHub } from './connection-hub';
import type { HostChannels } from './host-channels';
import { planReplay } from './replay';
import { hostStreamsFull, liveUnavailable, processFull } from './refusals';
import { SseConnection } from './sse-connection';

export const HOST_EVENTS_PATH = '/api/v1/hosts/:hostId/events';
const RETRY_MS = 3000;

/** Header first; EventSource cannot send headers, so browsers use `?access_token=` (redacted in logs). */
async function authorizedHost(req: Request, secret: string): Promise<string> {
  const query = typeof req.query.access_token === 'string' ? req.query.access_token : undefined;
  const token = bearerToken(req.get('authorization')) ?? query;
  if (!token) throw unauthorized();
  const hostId = await verifyHostToken(secret, token).catch(() => {
    throw unauthorized();
  });
  if (hostId !== req.params.hostId) throw forbidden('A host may only open its own event stream');
  return hostId;
}

/** GET /api/v1/hosts/:hostId/events: the host's live stream, resumable with Last-Event-ID. */
export function hostEventsRoute(
  config: Config,
  redis: RedisClient,
  hub: ConnectionHub,
  channels: HostChannels,
): Router {
  const router = Router();
  router.get(HOST_EVENTS_PATH, async (req, res) => {
    const hostId = await authorizedHost(req, config.JWT_SECRET);
    if (hub.isHostFull(hostId)) throw hostStreamsFull(hub.maxPerHost);
    if (hub.isFull()) throw processFull();
    const fromQuery = typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined;
    const lastEventId = req.get('last-event-id') ?? fromQuery;

    const connection = new SseConnection(hostId, res, config.SSE_MAX_BUFFERED_BYTES, (why) => {
      leave();
      req.log.warn('sse client dropped', { hostId, why });
    });
    const leave = () => {
      if (hub.remove(connection)) channels.release(hostId);
    };
    hub.add(connection); // live events are held from here until the replay is done
    res.on('close', () => {
      leave();
      connection.close();
    });
    try {
      await channels.acquire(hostId); // subscribed before reading history: nothing published meanwhile is missed
    } catch (error) {
      leave();
      req.log.warn('subscribing to the host channel failed', { hostId, error: (error as Error).message });
      throw liveUnavailable();
    }
    if (!connection.isOpen) return; // the client left while we subscribed

    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    connection.raw(`retry: ${RETRY_MS}\n\n`);
    try {
      const plan = await planReplay(redis, redisKeys(config).prefix, hostId, lastEventId);
      const serverTime = new Date().toISOString();
      if (plan.kind === 'resume') {
        connection.resumeAfter(lastEventId ?? '0-0');
        connection.write({
          id: null,
          event: 'connected',
          data: { server_time: serverTime, resumed: true, replayed: plan.entries.length },
        });
        connection.replay(plan.entries);
      } else {
        connection.startAt(plan.latestId);
        connection.write({ id: null, event: 'connected', data: { server_time: serverTime, resumed: false } });
        if (plan.kind === 'resync')
          connection.write({ id: null, event: 'resync', data: { reason: plan.reason, last_event_id: lastEventId } });
      }
      connection.goLive();
    } catch (error) {
      req.log.warn('sse replay failed; closing so the client retries', { hostId, error: (error as Error).message });
      leave();
      connection.close();
    }
  });
  return router;
}
