import type { Server } from 'node:http';
import type { Config } from '@bellhop/config';
import { closeServer, FailedAuthLimit, listen } from '@bellhop/http';
import type { Logger } from '@bellhop/logger';
import { createSecretBox } from '@bellhop/auth';
import { createDatabase } from '@bellhop/db';
import { createRedis, pingRedis, redisKeys } from '@bellhop/queue';
import { createApp } from './app';
import { pingPostgres } from './postgres-check';
import { startHeartbeat, subscribeToBus } from './sse/bus-subscriber';
import { ConnectionHub } from './sse/connection-hub';
import { HostChannels } from './sse/host-channels';
import { PullStreams, startPullHeartbeat } from './pull/pull-streams';

export interface RunningRealtime {
  server: Server;
  hub: ConnectionHub;
  stop(): Promise<void>;
}

/** Connects the bus, starts the heartbeat and listens; `stop` ends every stream first, then closes. */
export async function startRealtime(
  config: Config,
  logger: Logger,
  port = config.REALTIME_PORT,
): Promise<RunningRealtime> {
  const redis = createRedis(config, 'producer');
  const subscriber = createRedis(config, 'subscriber');
  const streams = new PullStreams();
  const hub = new ConnectionHub(config.SSE_MAX_CONNECTIONS, config.SSE_MAX_CONNECTIONS_PER_HOST, () => streams.size);
  const prefix = redisKeys(config).prefix;
  const channels = await subscribeToBus(subscriber, prefix, hub, logger, streams);
  const pullChannels = new HostChannels(subscriber, prefix, logger, (keys) => keys.pullChannel);
  // Pull streams read their messages from Postgres, the record (the bus only says when to look).
  const { db, sql } = createDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE, (error) =>
    logger.warn('idle database connection lost', { error: error.message }),
  );
  const pull = {
    ctx: { db, sql, secrets: createSecretBox(config.SECRETS_KEY) },
    streams,
    channels: pullChannels,
    isFull: () => hub.isFull(),
    failures: new FailedAuthLimit(redis, prefix, config.AUTH_FAILURE_LIMIT),
  };
  const stopHeartbeat = startHeartbeat(hub, config.SSE_HEARTBEAT_INTERVAL);
  const stopPullHeartbeat = startPullHeartbeat(streams, config.SSE_HEARTBEAT_INTERVAL);
  const checks = { postgres: () => pingPostgres(config.DATABASE_URL), redis: () => pingRedis(redis) };
  const server = await listen(
    createApp({ config, logger, checks, redis, hub, channels, pull }),
    port,
    config.BIND_HOST,
  );
  return {
    server,
    hub,
    async stop() {
      stopHeartbeat();
      stopPullHeartbeat();
      channels.stop();
      pullChannels.stop();
      // End the streams first: clients reconnect to another process instead of hanging.
      hub.closeAll();
      streams.closeAll();
      await closeServer(server);
      await Promise.allSettled([subscriber.quit(), redis.quit(), db.$disconnect()]);
      await sql.end().catch(() => undefined);
    },
  };
}
