import { Router, type Request } from 'express';
import { bearerToken, looksLikeApiKeyToken } from '@bellhop/auth';
import { authenticateApiKey, findPullSubscription, streamStart, type PullContext } from '@bellhop/domain';
import { forbidden, invalid } from '@bellhop/errors';
import { unauthorized, type FailedAuthLimit } from '@bellhop/http';
import type { HostChannels } from '../sse/host-channels';
import { liveUnavailable, processFull } from '../sse/refusals';
import { PullStream } from './pull-stream';
import type { PullStreams } from './pull-streams';

export const AGENT_STREAM_PATH = '/api/v1/agents/stream';
const RETRY_MS = 3000;

export interface AgentStreamDeps {
  ctx: PullContext;
  streams: PullStreams;
  /** The pull subscriptions' channels this process listens to while it holds one of their streams. */
  channels: HostChannels;
  /** The process holds SSE_MAX_CONNECTIONS streams (host and pull together). */
  isFull(): boolean;
  /** Keys that name nobody count against the client IP (AUTH_FAILURE_LIMIT a minute, with the API's). */
  failures: FailedAuthLimit;
}

/** The agent behind the bearer API key, with the webhooks:read scope; an IP past the failure limit gets 429 first. */
async function authorizedAgent(req: Request, deps: AgentStreamDeps): Promise<string> {
  const ip = req.ip ?? 'unknown';
  deps.failures.refuseIfBlocked(ip);
  const token = bearerToken(req.get('authorization'));
  const identity = token && looksLikeApiKeyToken(token) ? await authenticateApiKey(deps.ctx.db, token) : null;
  if (!identity) {
    if (token) await deps.failures.recordFailure(ip);
    throw unauthorized();
  }
  if (!identity.scopes.includes('webhooks:read')) throw forbidden('This API key lacks the webhooks:read scope');
  return identity.agent.id;
}

function subscriptionParam(req: Request): string {
  const value = req.query.subscription;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(value))
    throw invalid('Invalid query: subscription: the id of one of your pull subscriptions', [
      { field: 'subscription', message: 'required: the id of one of your pull subscriptions' },
    ]);
  return value;
}

/** GET /api/v1/agents/stream?subscription=ID: a pull subscription's messages, live, resumable with Last-Event-ID. */
export function agentStreamRoute(deps: AgentStreamDeps): Router {
  const router = Router();
  router.get(AGENT_STREAM_PATH, async (req, res) => {
    const agentId = await authorizedAgent(req, deps);
    const sub = await findPullSubscription(deps.ctx, agentId, subscriptionParam(req));
    if (deps.isFull()) throw processFull();
    const fromQuery = typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined;
    const lastEventId = req.get('last-event-id') ?? fromQuery;
    const start = streamStart(sub, lastEventId);

    const stream = new PullStream(deps.ctx, agentId, sub, res, start.from, (error) => {
      req.log.warn('pull stream read failed; closing so the client resumes', {
        subscriptionId: sub.id,
        error: error.message,
      });
      leave();
      stream.close();
    });
    const leave = () => {
      if (deps.streams.remove(stream)) deps.channels.release(sub.id);
    };
    deps.streams.add(stream); // counts toward the process's limit; beats and signals wait for start()
    res.on('close', () => {
      leave();
      stream.close();
    });
    try {
      await deps.channels.acquire(sub.id); // subscribed before reading Postgres: nothing committed meanwhile is missed
    } catch (error) {
      leave();
      req.log.warn('subscribing to the pull channel failed', {
        subscriptionId: sub.id,
        error: (error as Error).message,
      });
      throw liveUnavailable();
    }
    if (!stream.isOpen) return; // the client left while we subscribed
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    stream.raw(`retry: ${RETRY_MS}\n\n`);
    stream.event('connected', {
      server_time: new Date().toISOString(),
      subscription_id: sub.id,
      resumed: lastEventId !== undefined && start.resync === null,
      cursor: stream.cursor,
    });
    if (start.resync)
      stream.event('resync', {
        reason: start.resync,
        last_event_id: lastEventId ?? null,
        oldest_cursor: stream.cursor,
      });
    await stream.start();
  });
  return router;
}
