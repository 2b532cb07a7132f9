import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from './logger';

function capture(level: string) {
  const lines: string[] = [];
  const logger = createLogger('worker', level);
  logger.clear().add(
    new winston.transports.Stream({
      stream: new Writable({
        write(chunk, _e, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    }),
  );
  return { logger, lines };
}

describe('logger levels', () => {
  it('writes enabled levels from the logger and its children, and drops the rest', async () => {
    const { logger, lines } = capture('warn');
    const child = logger.child({ jobId: 'dlv_1' });
    child.info('quiet');
    child.debug('quieter');
    child.warn('loud');
    logger.error('louder');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'warn', message: 'loud', jobId: 'dlv_1', service: 'worker' }),
      expect.objectContaining({ level: 'error', message: 'louder' }),
    ]);
  });

  it('follows a level changed at run time', async () => {
    const { logger, lines } = capture('error');
    logger.info('before');
    logger.level = 'info';
    logger.child({}).info('after');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => JSON.parse(l).message)).toEqual(['after']);
  });
});
