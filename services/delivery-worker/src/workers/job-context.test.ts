import { Writable } from 'node:stream';
import winston from 'winston';
import type { Job } from 'bullmq';
import type { DomainContext } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { jobContext } from './job-context';

describe('jobContext', () => {
  it('tags every log line of a job with its job id and the request that caused it', async () => {
    const lines: string[] = [];
    const logger = createLogger('delivery-worker', 'info');
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
    const ctx = { logger } as unknown as DomainContext;
    jobContext(ctx, { id: 'dlv_1', data: { requestId: 'req_abc' } } as Job<{ requestId?: string }>).logger.info(
      'webhook attempt',
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(lines[0])).toMatchObject({
      service: 'delivery-worker',
      jobId: 'dlv_1',
      requestId: 'req_abc',
      message: 'webhook attempt',
    });
  });
});
