import { loadConfigOrExit } from '@bellhop/config';
import { warmUpPrisma } from '@bellhop/db';
import { closeDomainContext, createDomainContext } from '@bellhop/domain';
import { closeServer, handleShutdownSignals, listen } from '@bellhop/http';
import { createLogger } from '@bellhop/logger';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('api', config.LOG_LEVEL);
  const ctx = createDomainContext(config, logger);
  await warmUpPrisma(ctx.db);
  const server = await listen(createApp({ ctx }), config.API_PORT, config.BIND_HOST);
  logger.info('api listening', { url: `http://${config.BIND_HOST}:${config.API_PORT}` });
  handleShutdownSignals(logger, config.SHUTDOWN_TIMEOUT, async () => {
    await closeServer(server);
    await closeDomainContext(ctx);
  });
}

main().catch((error) => {
  process.stderr.write(`api failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
