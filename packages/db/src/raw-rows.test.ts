import { randomBytes } from 'node:crypto';
import { createDatabase, type Database } from './client';
import { cloneDatabase, dropDatabase } from './database';
import { Prisma } from './generated/client';
import { prismaCompatibleTypes, readModels, selectModel } from './raw-rows';

let url: string;
let database: Database;
beforeAll(async () => {
  url = await cloneDatabase(
    process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop_test',
    `bellhop_raw_${randomBytes(4).toString('hex')}`,
  );
  database = createDatabase(url, 2, () => undefined);
});
afterAll(async () => {
  await database.db.$disconnect();
  await database.sql.end().catch(() => undefined);
  await dropDatabase(url);
});

describe('raw rows that stand in for Prisma models', () => {
  it('read every field as Prisma does: names, UTC timestamps, JSON, lists (NULL as []), nulls', async () => {
    const { db, sql } = database;
    const agent = await db.agent.create({ data: { id: 'agt_raw', name: 'raw' } });
    const sub = await db.webhookSubscription.create({
      data: {
        id: 'sub_raw',
        ownerAgentId: agent.id,
        agentName: 'raw',
        webhookUrl: 'https://agent.example/hook',
        events: ['booking.*', '*'],
        secretEncrypted: 'x',
        headers: { 'X-Tenant': 'villa' },
        lastSuccessfulCall: new Date('2026-03-29T01:30:00.123Z'),
      },
    });
    expect(
      await sql.query('SELECT 1 FROM webhook_subscriptions WHERE id = $1 AND retry_schedule_ms IS NULL', [sub.id]),
    ).toMatchObject({ rowCount: 1 });
    // A zone away from UTC, so reading `timestamp` columns as local time would show.
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const result = await sql.query<Record<string, unknown>>({
        text: `SELECT ${selectModel('s', Prisma.WebhookSubscriptionScalarFieldEnum)} FROM webhook_subscriptions s WHERE s.id = $1`,
        values: [sub.id],
        types: prismaCompatibleTypes,
      });
      const [raw] = readModels<typeof sub>(result, 's', Prisma.WebhookSubscriptionScalarFieldEnum);
      expect(raw).toEqual(await db.webhookSubscription.findUniqueOrThrow({ where: { id: sub.id } }));
      expect(raw.lastSuccessfulCall?.toISOString()).toBe('2026-03-29T01:30:00.123Z');
    } finally {
      process.env.TZ = zone;
    }
  });

  it('come from a pool that plans every statement for its own parameters', async () => {
    const { rows } = await database.sql.query<{ plan_cache_mode: string }>('SHOW plan_cache_mode');
    expect(rows[0].plan_cache_mode).toBe('force_custom_plan');
  });
});
