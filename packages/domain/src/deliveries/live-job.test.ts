import { Queue, Worker } from 'bullmq';
import { createRedis } from '@bellhop/queue';
import { createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { liveJobIds } from './live-job';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('liveJobIds', () => {
  it('counts waiting, delayed and running jobs as live, and clears finished ones so their ids can be enqueued again', async () => {
    const prefix = env.config.QUEUE_PREFIX;
    const queue = new Queue('live-jobs', { connection: env.ctx.queueRedis, prefix });
    const workerRedis = createRedis(env.config, 'worker');
    let release = () => {};
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    const worker = new Worker(
      'live-jobs',
      async (job) => {
        if (job.id === 'job-failing') throw new Error('receiver said no');
        if (job.id === 'job-running') await running;
      },
      { connection: workerRedis, prefix },
    );
    try {
      await queue.add('job', {}, { jobId: 'job-completed' });
      await queue.add('job', {}, { jobId: 'job-failing' });
      await queue.add('job', {}, { jobId: 'job-running' });
      await eventually(async () => {
        expect(await queue.getJobState('job-completed')).toBe('completed');
        expect(await queue.getJobState('job-failing')).toBe('failed');
        expect(await queue.getJobState('job-running')).toBe('active');
      });
      await worker.pause(true);
      await queue.add('job', {}, { jobId: 'job-waiting' });
      await queue.add('job', {}, { jobId: 'job-delayed', delay: 60_000 });

      const live = await liveJobIds(queue, [
        'job-completed',
        'job-failing',
        'job-running',
        'job-waiting',
        'job-delayed',
        'job-never-added',
      ]);

      expect([...live].sort()).toEqual(['job-delayed', 'job-running', 'job-waiting']);
      expect(await queue.getJob('job-completed')).toBeUndefined();
      expect(await queue.getJob('job-failing')).toBeUndefined();
      expect(await queue.getJobState('job-waiting')).toBe('waiting');
    } finally {
      release();
      await worker.close();
      workerRedis.disconnect();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
