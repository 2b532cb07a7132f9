import { loadConfigOrExit } from '@bellhop/config';
import { handleShutdownSignals } from '@bellhop/http';
import { createLogger } from '@bellhop/logger';
import { startRealtime } from './realtime';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('realtime', config.LOG_LEVEL);
  const realtime = await startRealtime(config, logger);
  logger.info('realtime listening', { url: `http://${config.BIND_HOST}:${config.REALTIME_PORT}` });
  handleShutdownSignals(logger, config.SHUTDOWN_TIMEOUT, () => realtime.stop());
}

main().catch((error) => {
  process.stderr.write(`realtime failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
