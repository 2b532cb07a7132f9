import type { Server } from 'node:http';
import { loadConfigOrExit } from '@bellhop/config';
import { warmUpPrisma } from '@bellhop/db';
import { closeDomainContext, createDomainContext } from '@bellhop/domain';
import { closeServer, handleShutdownSignals, listen } from '@bellhop/http';
import { createLogger } from '@bellhop/logger';
import { createApp } from './app';
import { startWorkers } from './workers';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('delivery-worker', config.LOG_LEVEL);
  const ctx = createDomainContext(config, logger);
  await warmUpPrisma(ctx.db);
  const workers = await startWorkers(ctx);
  let server: Server | null = null;
  // Before the port answers: a SIGTERM as soon as the process looks ready must still stop it gracefully.
  handleShutdownSignals(logger, config.SHUTDOWN_TIMEOUT, async () => {
    // In-flight jobs finish first, so a delivery is never cut off mid-send.
    await workers.close();
    if (server) await closeServer(server);
    await closeDomainContext(ctx);
  });
  server = await listen(createApp({ ctx }), config.WORKER_PORT, config.BIND_HOST);
  logger.info('delivery worker listening', { url: `http://${config.BIND_HOST}:${config.WORKER_PORT}` });
}

main().catch((error) => {
  process.stderr.write(`delivery worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
