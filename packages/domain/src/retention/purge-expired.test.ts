import { createDatabase, type SqlPool } from '@bellhop/db';
import { newId } from '@bellhop/events';
import {
  countIds,
  createAgentKey,
  createTestEnv,
  seedDeliveryChains,
  seedReceipts,
  type TestEnv,
} from '@bellhop/testing';
import { retryDelivery } from '../deliveries/delivery-replay';
import { dataRetainedSince } from './horizon';
import { PURGE_BATCH, purgeExpiredData } from './purge-expired';

let env: TestEnv;
let subscriptionId: string;
let connectionId: string;
let ownerAgentId: string;

beforeAll(async () => {
  env = await createTestEnv({ DATA_RETENTION: '30d' });
  const agent = await createAgentKey(env.ctx);
  ownerAgentId = agent.agentId;
  subscriptionId = newId('subscription');
  await env.ctx.db.webhookSubscription.create({
    data: {
      id: subscriptionId,
      ownerAgentId: agent.agentId,
      agentName: 'purge-test',
      webhookUrl: 'http://127.0.0.1:9/hook',
      events: ['*'],
      secretEncrypted: 'unused',
    },
  });
  const host = await env.ctx.db.host.create({
    data: { id: newId('host'), name: 'Purge host', email: `${newId('host')}@example.com` },
  });
  connectionId = (
    await env.ctx.db.inboundConnection.create({
      data: { id: newId('inboundConnection'), provider: 'hostaway', hostId: host.id, secretEncrypted: 'unused' },
    })
  ).id;
});
afterAll(async () => {
  await env.close();
});

const chains = (tag: string, count: number, daysAgo: number, status = 'succeeded', attempts = 1) =>
  seedDeliveryChains(env.ctx.sql, { tag, count, subscriptionId, daysAgo, status, attempts });
const receipts = (tag: string, daysAgo: number, status: string, attempts = 1) =>
  seedReceipts(env.ctx.sql, { tag, count: 1, connectionId, daysAgo, status, attempts });
const PREFIXES = { events: 'evt', deliveries: 'dlv', delivery_attempts: 'att', inbound_receipts: 'rcp' } as const;
const count = (table: Parameters<typeof countIds>[1], prefix: string) => countIds(env.ctx.sql, table, prefix);

describe('purging data older than DATA_RETENTION', () => {
  it('removes expired events, deliveries, attempts and inbound receipts of every finished kind, and keeps recent ones', async () => {
    for (const status of ['succeeded', 'failed', 'cancelled']) await chains(`old_${status}_`, 3, 31, status, 2);
    await chains('recent_', 3, 29);
    for (const status of ['processed', 'ignored', 'rejected']) await receipts(`old_${status}_`, 31, status);
    await receipts('old_given_up_', 31, 'failed', 10);
    await receipts('recent_', 29, 'processed');

    const result = await purgeExpiredData(env.ctx);

    expect(result).toEqual({ deliveries: 9, attempts: 18, events: 9, inboundReceipts: 4 });
    const left = async (age: string) =>
      Promise.all(
        Object.entries(PREFIXES).map(([table, prefix]) => count(table as keyof typeof PREFIXES, `${prefix}_${age}_`)),
      );
    expect(await left('old')).toEqual([0, 0, 0, 0]);
    expect(await left('recent')).toEqual([3, 3, 3, 1]);
  });

  it('keeps a pending delivery with its attempts and event, an event not fanned out yet, and receipts still to be processed, however old', async () => {
    await chains('pending_', 2, 90, 'pending', 3);
    // An event whose other delivery is finished keeps that one's event row too, as long as the pending one needs it.
    await env.ctx.sql.query(
      `INSERT INTO deliveries (id, event_id, subscription_id, status, created_at, updated_at)
      SELECT 'dlv_pending_done_' || g, 'evt_pending_' || g, $1, 'succeeded', now() - interval '90 days', now() FROM generate_series(1, 2) g`,
      [await otherSubscription()],
    );
    await env.ctx.db.event.create({
      data: {
        id: 'evt_unfanned_1',
        type: 'booking.created',
        data: {},
        createdAt: new Date(Date.now() - 90 * 86_400_000),
      },
    });
    await receipts('waiting_received_', 90, 'received');
    await receipts('waiting_failed_', 90, 'failed', 3);

    await purgeExpiredData(env.ctx);

    expect(await count('deliveries', 'dlv_pending_')).toBe(2);
    expect(await count('deliveries', 'dlv_pending_done_')).toBe(0);
    expect(await count('delivery_attempts', 'att_pending_')).toBe(6);
    expect(await count('events', 'evt_pending_')).toBe(2);
    expect(await count('events', 'evt_unfanned_')).toBe(1);
    expect(await count('inbound_receipts', 'rcp_waiting_')).toBe(2);
  });

  it('removes the event once its last delivery is finished and purged', async () => {
    await chains('finished_later_', 1, 60, 'pending');
    await purgeExpiredData(env.ctx);
    expect(await count('events', 'evt_finished_later_')).toBe(1);
    await env.ctx.sql.query(`UPDATE deliveries SET status = 'succeeded' WHERE id = 'dlv_finished_later_1'`);
    expect(await purgeExpiredData(env.ctx)).toMatchObject({ deliveries: 1, events: 1 });
  });

  it('removes at most PURGE_BATCH rows per statement', async () => {
    await chains('batched_', 2_500, 45);
    const batches: number[] = [];
    const real = env.ctx.sql;
    const sql = {
      query: async (query: Parameters<SqlPool['query']>[0]) => {
        const answer = await real.query(query);
        batches.push((answer.rows[0] as { rows: number }).rows);
        return answer;
      },
    } as unknown as SqlPool;

    const result = await purgeExpiredData({ ...env.ctx, sql });

    expect(result).toMatchObject({ deliveries: 2_500, events: 2_500, attempts: 2_500 });
    expect(Math.max(...batches)).toBe(PURGE_BATCH);
    expect(batches.filter((rows) => rows > 0).length).toBeGreaterThanOrEqual(6); // 3 for deliveries, 3 for events
  });

  it('two purges running at once both finish, and remove each row once', async () => {
    await chains('concurrent_', 6_000, 40, 'failed', 2);
    await receipts('concurrent_', 40, 'processed');
    const { db, sql: second } = createDatabase(env.config.DATABASE_URL, 2, () => undefined);
    try {
      const [a, b] = await Promise.all([purgeExpiredData(env.ctx), purgeExpiredData({ ...env.ctx, sql: second })]);
      expect(a.deliveries + b.deliveries).toBe(6_000);
      expect(a.attempts + b.attempts).toBe(12_000);
      expect(a.events + b.events).toBe(6_000);
      expect(a.inboundReceipts + b.inboundReceipts).toBe(1);
      expect(await count('deliveries', 'dlv_concurrent_')).toBe(0);
    } finally {
      await db.$disconnect();
      await second.end().catch(() => undefined);
    }
  });

  it('never removes a delivery that a retry re-opens while purges run, nor its event', async () => {
    await chains('raced_', 300, 50, 'failed');
    const ids = Array.from({ length: 300 }, (_, i) => `dlv_raced_${i + 1}`);
    const [retries] = await Promise.all([
      Promise.allSettled(ids.map((id) => retryDelivery(env.ctx, ownerAgentId, id))),
      purgeExpiredData(env.ctx),
      purgeExpiredData(env.ctx),
    ]);
    const reopened = ids.filter((_, i) => retries[i].status === 'fulfilled');
    const refused = retries.filter((r) => r.status === 'rejected').map((r) => r.reason.kind);
    expect(refused.filter((kind) => kind !== 'not_found' && kind !== 'conflict')).toEqual([]);
    const { rows } = await env.ctx.sql.query<{ id: string; status: string; has_event: boolean }>(
      `SELECT d.id, d.status, e.id IS NOT NULL AS has_event FROM deliveries d LEFT JOIN events e ON e.id = d.event_id WHERE d.id LIKE 'dlv_raced_%'`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...reopened].sort());
    expect(rows.every((r) => r.status === 'pending' && r.has_event)).toBe(true);
  });

  it('says how far back data goes', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    expect(dataRetainedSince(env.config, now).toISOString()).toBe('2026-11-02T12:00:00.000Z');
  });
});

async function otherSubscription(): Promise<string> {
  const sub = await env.ctx.db.webhookSubscription.findUniqueOrThrow({ where: { id: subscriptionId } });
  const id = newId('subscription');
  await env.ctx.db.webhookSubscription.create({
    data: {
      id,
      ownerAgentId: sub.ownerAgentId,
      agentName: 'other',
      webhookUrl: 'http://127.0.0.1:9/other',
      events: ['*'],
      secretEncrypted: 'unused',
    },
  });
  return id;
}
