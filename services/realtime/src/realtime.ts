import type { Server } from 'node:http';
import type { Config } from '@bellhop/config';
import { closeServer, listen } from '@bellhop/http';
import type { Logger } from '@bellhop/logger';
import { createRedis, pingRedis, redisKeys } from '@bellhop/queue';
import { createApp } from './app';
import { pingPostgres } from './postgres-check';
import { startHeartbeat, subscribeToBus } from './sse/bus-subscriber';
import { ConnectionHub } from './sse/connection-hub';

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
  const hub = new ConnectionHub(config.SSE_MAX_CONNECTIONS, config.SSE_MAX_CONNECTIONS_PER_HOST);
  const channels = await subscribeToBus(subscriber, redisKeys(config).prefix, hub, logger);
  const stopHeartbeat = startHeartbeat(hub, config.SSE_HEARTBEAT_INTERVAL);
  const checks = { postgres: () => pingPostgres(config.DATABASE_URL), redis: () => pingRedis(redis) };
  const server = await listen(createApp({ config, logger, checks, redis, hub, channels }), port, config.BIND_HOST);
  return {
    server,
    hub,
    async stop() {
      stopHeartbeat();
      channels.stop();
      // End the streams first: clients reconnect to another process instead of hanging.
      hub.closeAll();
      await closeServer(server);
      await Promise.allSettled([subscriber.quit(), redis.quit()]);
    },
  };
}
