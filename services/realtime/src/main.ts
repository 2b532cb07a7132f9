import { loadConfigOrExit } from '@bellhop/config';
import { closeServer, handleShutdownSignals, listen } from '@bellhop/http';
import { createLogger } from '@bellhop/logger';
import { createRedis, pingRedis } from '@bellhop/queue';
import { pingPostgres } from './postgres-check';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('realtime', config.LOG_LEVEL);
  const redis = createRedis(config.REDIS_URL, 'producer');
  const app = createApp({ config, logger, checks: { postgres: () => pingPostgres(config.DATABASE_URL), redis: () => pingRedis(redis) } });
  const server = await listen(app, config.REALTIME_PORT, config.BIND_HOST);
  logger.info('realtime listening', { url: `http://${config.BIND_HOST}:${config.REALTIME_PORT}` });
  handleShutdownSignals(logger, config.SHUTDOWN_TIMEOUT, async () => {
    await closeServer(server);
    await redis.quit();
  });
}

main().catch((error) => {
  process.stderr.write(`realtime failed to start: ${error?.stack ?? error}\n`);
  process.exit(1);
});
