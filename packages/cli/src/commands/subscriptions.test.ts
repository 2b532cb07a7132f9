import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { runRecovery } from '@bellhop/domain';
import { newId } from '@bellhop/events';
import { createRedis, createWorker } from '@bellhop/queue';
import { createAgentKey, createTestEnv, type TestEnv } from '@bellhop/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...env.processEnv, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
  });

async function seedSubscription(agentName: string) {
  const { agentId } = await createAgentKey(env.ctx, { name: agentName });
  return env.ctx.db.webhookSubscription.create({
    data: {
      id: newId('subscription'),
      ownerAgentId: agentId,
      agentName,
      webhookUrl: 'https://agent.example.com/hooks',
      events: ['booking.*'],
      secretEncrypted: 'x',
      failedAttempts: 2,
    },
  });
}

async function seedDelivery(subscriptionId: string, status: 'failed' | 'cancelled' | 'succeeded', createdAt: Date) {
  const event = await env.ctx.db.event.create({ data: { id: newId('event'), type: 'booking.created', data: {} } });
  return env.ctx.db.delivery.create({
    data: { id: newId('delivery'), eventId: event.id, subscriptionId, status, attempts: 3, createdAt },
  });
}

describe('cli subscriptions list and deliveries replay', () => {
  it("lists every agent's subscriptions for the operator", async () => {
    const a = await seedSubscription('pricing-agent');
    const b = await seedSubscription('guest-agent');
    const { stdout } = await cli('subscriptions', 'list');
    expect(stdout).toMatch(/id\s+agent_name\s+url\s+events\s+active\s+failed_attempts/);
    expect(stdout).toMatch(
      new RegExp(`${a.id}\\s+pricing-agent\\s+https://agent.example.com/hooks\\s+booking\\.\\*\\s+true\\s+2`),
    );
    expect(stdout).toContain(b.id);
    const json = JSON.parse((await cli('subscriptions', 'list', '--json')).stdout);
    expect(json.map((s: { agent_name: string }) => s.agent_name)).toEqual(
      expect.arrayContaining(['pricing-agent', 'guest-agent']),
    );
  });

  it('runs a background recovery of failed and cancelled deliveries since a date, waits for it and prints its id and outcome', async () => {
    const sub = await seedSubscription('replay-agent');
    const since = new Date(Date.now() - 3600_000);
    const failed = await seedDelivery(sub.id, 'failed', new Date());
    const cancelled = await seedDelivery(sub.id, 'cancelled', new Date());
    const old = await seedDelivery(sub.id, 'failed', new Date(Date.now() - 7200_000));
    const done = await seedDelivery(sub.id, 'succeeded', new Date());
    // The delivery worker's recoveries job, run here.
    const connection = createRedis(env.config, 'worker');
    const worker = createWorker({ connection, config: env.config }, 'recoveries', (job) =>
      runRecovery(env.ctx, job.data.recoveryId),
    );
    let out;
    try {
      out = JSON.parse(
        (await cli('deliveries', 'replay', '--subscription', sub.id, '--since', since.toISOString(), '--json')).stdout,
      );
    } finally {
      await worker.close();
      connection.disconnect();
    }
    expect(out).toMatchObject({
      recovery_id: expect.stringMatching(/^rcv_/),
      subscription_id: sub.id,
      status: 'completed',
      resent: 2,
      capped: false,
      error: null,
    });
    const rows = await env.ctx.db.delivery.findMany({ where: { subscriptionId: sub.id } });
    const status = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      [failed.id]: 'pending',
      [cancelled.id]: 'pending',
      [old.id]: 'failed',
      [done.id]: 'succeeded',
    });
    expect(await env.ctx.queues.deliveries[0].getJobState(`${failed.id}-3`)).toBe('waiting');
    const bad = await cli('deliveries', 'replay', '--subscription', sub.id, '--since', 'yesterday').catch((e) => e);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since must be an ISO date');
    // Nobody runs the job now: the CLI stops waiting and says where the recovery is.
    const { stdout } = await cli(
      'deliveries',
      'replay',
      '--subscription',
      sub.id,
      '--since',
      since.toISOString(),
      '--wait',
      '0',
    );
    expect(stdout).toMatch(
      new RegExp(`^recovery rcv_\\w+ of ${sub.id}: queued, 0 deliveries re-sent so far; the worker carries on`),
    );
  }, 90_000); // three CLI processes, each compiling the sources with tsx
});
