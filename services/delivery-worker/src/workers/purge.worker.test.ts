import { newId } from '@bellhop/events';
import { renderMetrics } from '@bellhop/metrics';
import {
  countIds,
  createAgentKey,
  createTestEnv,
  eventually,
  seedDeliveryChains,
  type TestEnv,
} from '@bellhop/testing';
import { createSubscription } from '../__tests__/subscription-fixture';
import { startWorkers } from './index';

let env: TestEnv;

beforeAll(async () => {
  env = await createTestEnv({ DATA_RETENTION: '30d', DATA_PURGE_INTERVAL: '1s' });
});
afterAll(async () => {
  await env.close();
});

it('the maintenance worker purges expired deliveries, attempts and events on its own, and counts them in /metrics', async () => {
  const agent = await createAgentKey(env.ctx);
  const { sub } = await createSubscription(env.ctx, agent.agentId, 'http://127.0.0.1:9/hook');
  await seedDeliveryChains(env.ctx.sql, {
    tag: `worker_${newId('event')}_`,
    count: 1_500,
    subscriptionId: sub.id,
    daysAgo: 31,
  });
  await seedDeliveryChains(env.ctx.sql, {
    tag: 'worker_kept_',
    count: 5,
    subscriptionId: sub.id,
    daysAgo: 31,
    status: 'pending',
  });
  const workers = await startWorkers(env.ctx);
  try {
    // The counters move once the whole purge has run (receipts last), a moment after the rows are gone.
    await eventually(async () => {
      const left = [
        await countIds(env.ctx.sql, 'deliveries', 'dlv_worker_'),
        await countIds(env.ctx.sql, 'events', 'evt_worker_'),
      ];
      if (left.some((n) => n !== 5)) throw new Error(`${left.join(' deliveries, ')} events left`);
      expect((await renderMetrics()).body).toMatch(/bellhop_rows_purged_total\{table="deliveries"\} 1500/);
    }, 20_000);
  } finally {
    await workers.close();
  }
});
