import { Client } from 'pg';
import type { DeliveryStatus } from '@bellhop/db';
import { DomainError } from '@bellhop/errors';
import { newId } from '@bellhop/events';
import { createAgentKey, createTestEnv, eventually, type TestEnv } from '@bellhop/testing';
import { deliveryJobId } from './enqueue-delivery';
import { getRecovery, RECOVERY_CAP, requestRecovery, sweepRecoveries } from './recoveries';
import { runRecovery } from './run-recovery';

let env: TestEnv;
let owner: string;

beforeAll(async () => {
  env = await createTestEnv();
  owner = (await createAgentKey(env.ctx)).agentId;
});
afterAll(async () => {
  await env.close();
});

async function subscription(): Promise<string> {
  const id = newId('subscription');
  await env.ctx.db.webhookSubscription.create({
    data: {
      id,
      ownerAgentId: owner,
      agentName: 'recovery-test',
      webhookUrl: 'http://127.0.0.1:9/hook',
      events: ['*'],
      secretEncrypted: 'unused',
    },
  });
  return id;
}

/** Deliveries of one subscription, created `start` ago and one second apart, each with an event of its own (one statement, however many). */
async function deliveries(
  subscriptionId: string,
  count: number,
  status: DeliveryStatus,
  start = 3_600_000,
): Promise<{ id: string; createdAt: Date }[]> {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId('delivery'),
    eventId: newId('event'),
    createdAt: new Date(Date.now() - start + i * 1000),
  }));
  await env.ctx.sql.query(
    `WITH rows AS (SELECT * FROM unnest($1::text[], $2::text[], $3::timestamp[]) AS rows(id, event_id, created_at)),
      events AS (INSERT INTO events (id, type, data, created_at, fanned_out_at) SELECT event_id, 'booking.created', '{}', created_at, created_at FROM rows)
    INSERT INTO deliveries (id, event_id, subscription_id, status, attempts, created_at, updated_at)
    SELECT id, event_id, $4, $5::"DeliveryStatus", 1, created_at, created_at FROM rows`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.eventId),
      rows.map((r) => r.createdAt.toISOString()),
      subscriptionId,
      status,
    ],
  );
  return rows;
}

async function statuses(ids: string[]): Promise<DeliveryStatus[]> {
  const rows = await env.ctx.db.delivery.findMany({ where: { id: { in: ids } } });
  const byId = new Map(rows.map((d) => [d.id, d.status]));
  return ids.map((id) => byId.get(id)!);
}
async function waitingForLocks(): Promise<number> {
  const [{ n }] = await env.ctx.db.$queryRaw<
    { n: bigint }[]
  >`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
  return Number(n);
}
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

describe('recoveries', () => {
  it("refuses `since` more than 14 days back, naming the field, and hides other agents' subscriptions", async () => {
    const sub = await subscription();
    const tooOld = await requestRecovery(env.ctx, owner, sub, hoursAgo(14 * 24 + 1)).catch((e: unknown) => e);
    expect(tooOld).toBeInstanceOf(DomainError);
    expect(tooOld).toMatchObject({ kind: 'invalid', details: [{ field: 'since' }] });
    const stranger = (await createAgentKey(env.ctx, { name: 'stranger' })).agentId;
    await expect(requestRecovery(env.ctx, stranger, sub, hoursAgo(1))).rejects.toMatchObject({ kind: 'not_found' });
    const mine = await requestRecovery(env.ctx, owner, sub, hoursAgo(1));
    await expect(getRecovery(env.ctx, stranger, sub, mine.id)).rejects.toMatchObject({ kind: 'not_found' });
    expect(await getRecovery(env.ctx, owner, sub, mine.id)).toMatchObject({ id: mine.id, status: 'queued' });
  });

  it('re-opens the failed and cancelled deliveries since a time and enqueues each, leaving older and succeeded ones alone', async () => {
    const sub = await subscription();
    const old = await deliveries(sub, 2, 'failed', 3 * 3_600_000);
    const failed = await deliveries(sub, 3, 'failed');
    const cancelled = await deliveries(sub, 2, 'cancelled');
    const succeeded = await deliveries(sub, 2, 'succeeded');
    const recovery = await requestRecovery(env.ctx, owner, sub, hoursAgo(2));

    const run = await runRecovery(env.ctx, recovery.id);

    expect(run).toMatchObject({
      kind: 'finished',
      recovery: { status: 'completed', resent: 5, capped: false, coveredUntil: recovery.createdAt },
    });
    expect(await statuses([...failed, ...cancelled].map((d) => d.id))).toEqual(Array(5).fill('pending'));
    expect(await statuses(old.map((d) => d.id))).toEqual(['failed', 'failed']);
    expect(await statuses(succeeded.map((d) => d.id))).toEqual(['succeeded', 'succeeded']);
    for (const d of [...failed, ...cancelled])
      expect(await env.ctx.queues.deliveries[0].getJob(deliveryJobId(d.id, 1))).toBeTruthy();
    expect(await runRecovery(env.ctx, recovery.id)).toEqual({ kind: 'skipped', status: 'completed' });
  });

  it('never re-opens a delivery that succeeded while the recovery read it: the update checks the status again', async () => {
    const sub = await subscription();
    const rows = await deliveries(sub, 5, 'failed');
    const recovery = await requestRecovery(env.ctx, owner, sub, hoursAgo(2));
    // A retry of the third delivery succeeds in a transaction still open when the recovery reads the page.
    const retry = new Client({ connectionString: env.config.DATABASE_URL });
    await retry.connect();
    try {
      await retry.query('BEGIN');
      await retry.query("UPDATE deliveries SET status = 'succeeded' WHERE id = $1", [rows[2].id]);
      const running = runRecovery(env.ctx, recovery.id);
      await eventually(async () => expect(await waitingForLocks()).toBeGreaterThan(0)); // it read the page and waits for the row
      await retry.query('COMMIT');
      expect(await running).toMatchObject({ recovery: { status: 'completed', resent: 4 } });
    } finally {
      await retry.end();
    }
    expect(await statuses(rows.map((d) => d.id))).toEqual(['pending', 'pending', 'succeeded', 'pending', 'pending']);
  });

  it(`stops at ${RECOVERY_CAP} deliveries, says capped and where it got to, and a next recovery from there resends the rest`, async () => {
    const sub = await subscription();
    const rows = await deliveries(sub, RECOVERY_CAP + 30, 'failed', 5 * 3_600_000);
    const first = await requestRecovery(env.ctx, owner, sub, hoursAgo(6));

    const capped = await runRecovery(env.ctx, first.id);

    expect(capped).toMatchObject({
      recovery: {
        status: 'completed',
        resent: RECOVERY_CAP,
        capped: true,
        coveredUntil: rows[RECOVERY_CAP - 1].createdAt,
      },
    });
    const next = await requestRecovery(env.ctx, owner, sub, rows[RECOVERY_CAP - 1].createdAt);
    expect(await runRecovery(env.ctx, next.id)).toMatchObject({ recovery: { resent: 30, capped: false } });
    expect(await env.ctx.db.delivery.count({ where: { subscriptionId: sub, status: 'pending' } })).toBe(
      RECOVERY_CAP + 30,
    );
  }, 120_000); // 10,030 deliveries re-opened and enqueued: several seconds, more on a busy machine

  it('survives a Redis wipe and a worker that died mid-way: the sweeper re-enqueues it and it resumes where it stopped', async () => {
    const sub = await subscription();
    const rows = await deliveries(sub, 6, 'failed');
    const queued = await requestRecovery(env.ctx, owner, sub, hoursAgo(2));
    const interrupted = await requestRecovery(env.ctx, owner, sub, hoursAgo(2));
    // The second ran three deliveries before its worker died; Redis then lost every job.
    await env.ctx.db.recovery.update({
      where: { id: interrupted.id },
      data: { status: 'running', resent: 3, coveredUntil: rows[2].createdAt, lastDeliveryId: rows[2].id },
    });
    await env.ctx.db.delivery.updateMany({
      where: { id: { in: rows.slice(0, 3).map((d) => d.id) } },
      data: { status: 'succeeded' },
    });
    await env.ctx.queues.recoveries.obliterate({ force: true });

    expect(await sweepRecoveries(env.ctx, new Date(Date.now() + 60_000))).toBeGreaterThanOrEqual(2);
    expect(await env.ctx.queues.recoveries.getJob(queued.id)).toBeTruthy();
    expect(await env.ctx.queues.recoveries.getJob(interrupted.id)).toBeTruthy();
    expect(await sweepRecoveries(env.ctx, new Date(Date.now() + 60_000))).toBe(0);

    expect(await runRecovery(env.ctx, interrupted.id)).toMatchObject({ recovery: { status: 'completed', resent: 6 } });
    expect(await runRecovery(env.ctx, queued.id)).toMatchObject({ recovery: { status: 'completed', resent: 0 } });
    expect(await statuses(rows.map((d) => d.id))).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'pending',
      'pending',
      'pending',
    ]);
  });

  it('fails a recovery whose subscription was disabled before it ran', async () => {
    const sub = await subscription();
    const recovery = await requestRecovery(env.ctx, owner, sub, hoursAgo(1));
    await env.ctx.db.webhookSubscription.update({ where: { id: sub }, data: { isActive: false } });
    expect(await runRecovery(env.ctx, recovery.id)).toMatchObject({
      recovery: { status: 'failed', error: 'subscription disabled', resent: 0 },
    });
  });
});
