import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, withDatabaseName } from './database';
import { applyMigrations } from './migrations';

const root = path.resolve(__dirname, '../../..');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const url = withDatabaseName(
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop',
  `bellhop_mig_${randomBytes(4).toString('hex')}`,
);
const before = mkdtempSync(path.join(tmpdir(), 'bellhop-migrations-'));

afterAll(async () => {
  await dropDatabase(url);
  rmSync(before, { recursive: true, force: true });
});

async function sql(text: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('the agents_and_grants migration', () => {
  it('turns every existing API key into its own partner agent that keeps its subscriptions and idempotency keys', async () => {
    const folders = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const upTo = folders.findIndex((name) => name.endsWith('_agents_and_grants'));
    cpSync(path.join(migrationsDir, 'migration_lock.toml'), path.join(before, 'migration_lock.toml'));
    for (const name of folders.slice(0, upTo))
      cpSync(path.join(migrationsDir, name), path.join(before, name), { recursive: true });
    await ensureDatabase(url);
    await applyMigrations({ databaseUrl: url, migrationsDir: before, schemaPath });

    // A database as it was before: a key owning a subscription, an event recorded with an Idempotency-Key, and a channel message event.
    await sql(`INSERT INTO hosts (id, name, email, updated_at) VALUES ('hst_1', 'Villa', 'v@example.test', now());
      INSERT INTO api_keys (id, name, prefix, key_hash, scopes) VALUES ('key_01OLD', 'old-agent', 'bh_old', 'hash', '{events:write}');
      INSERT INTO webhook_subscriptions (id, owner_key_id, agent_name, webhook_url, events, secret_encrypted, updated_at)
        VALUES ('sub_1', 'key_01OLD', 'old-agent', 'https://agent.example/hook', '{booking.*}', 'x', now());
      INSERT INTO events (id, type, host_id, data, source_key_id, idempotency_key, audience_key_id)
        VALUES ('evt_1', 'booking.updated', 'hst_1', '{}', 'key_01OLD', 'order-1', 'key_01OLD');
      INSERT INTO inbound_connections (id, provider, host_id, secret_encrypted) VALUES ('inb_1', 'hostaway', 'hst_1', 'x');
      INSERT INTO events (id, type, host_id, data, idempotency_key) VALUES ('evt_2', 'message.created', 'hst_1', '{}', 'hostaway:message.created:m1');`);

    expect((await applyMigrations({ databaseUrl: url, migrationsDir, schemaPath })).applied).toContain(folders[upTo]);
    expect(await sql('SELECT id, name, kind FROM agents')).toEqual([
      { id: 'agt_01OLD', name: 'old-agent', kind: 'partner' },
    ]);
    expect(await sql('SELECT agent_id FROM api_keys')).toEqual([{ agent_id: 'agt_01OLD' }]);
    expect(await sql('SELECT owner_agent_id FROM webhook_subscriptions')).toEqual([{ owner_agent_id: 'agt_01OLD' }]);
    expect(
      await sql(
        'SELECT id, source_agent_id, source_key_id, audience_agent_id, source_connection_id FROM events ORDER BY id',
      ),
    ).toEqual([
      {
        id: 'evt_1',
        source_agent_id: 'agt_01OLD',
        source_key_id: 'key_01OLD',
        audience_agent_id: 'agt_01OLD',
        source_connection_id: null,
      },
      {
        id: 'evt_2',
        source_agent_id: null,
        source_key_id: null,
        audience_agent_id: null,
        source_connection_id: 'inb_1',
      },
    ]);
  });
});
