import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createPrismaClient } from './client';
import { cloneDatabase, dropDatabase, ensureDatabase, withDatabaseName } from './database';
import { applyMigrations, diffSchemas } from './migrations';

const root = path.resolve(__dirname, '../../..');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const baseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop';
const folders = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const created: string[] = [];

function throwawayUrl(): string {
  const url = withDatabaseName(baseUrl, `bellhop_mig_${randomBytes(4).toString('hex')}`);
  created.push(url);
  return url;
}

async function query<T>(databaseUrl: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const url of created) await dropDatabase(url);
});

describe('applyMigrations', () => {
  const url = throwawayUrl();
  const options = { databaseUrl: url, migrationsDir, schemaPath };

  test('applies every migration folder and records it as `prisma migrate deploy` would', async () => {
    expect(await ensureDatabase(url)).toBe(true);
    expect(await applyMigrations(options)).toEqual({ applied: folders });

    const tables = (
      await query<{ table_name: string }>(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      )
    ).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(['api_keys', 'events', 'deliveries', '_prisma_migrations']));

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row).toMatchObject({
        checksum: createHash('sha256').update(sql).digest('hex'),
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.finished_at).toBeInstanceOf(Date);
    }
  });

  test('is idempotent', async () => {
    expect(await ensureDatabase(url)).toBe(false);
    expect(await applyMigrations(options)).toEqual({ applied: [] });
  });

  test('applies each migration once when runners race', async () => {
    const racing = { ...options, databaseUrl: throwawayUrl() };
    await ensureDatabase(racing.databaseUrl);
    const results = await Promise.all([applyMigrations(racing), applyMigrations(racing), applyMigrations(racing)]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(folders);
  });

  test('cloneDatabase copies schema and rows', async () => {
    const copyUrl = await cloneDatabase(url, `bellhop_mig_${randomBytes(4).toString('hex')}`);
    created.push(copyUrl);
    expect(await query(copyUrl, 'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).toEqual(
      folders.map((migration_name) => ({ migration_name })),
    );
    expect(await applyMigrations({ ...options, databaseUrl: copyUrl })).toEqual({ applied: [] });
  });

  test('the generated client works against the migrated schema', async () => {
    const db = createPrismaClient(url);
    try {
      await db.agent.create({ data: { id: 'agt_test', name: 'test' } });
      await db.apiKey.create({
        data: {
          id: 'key_test',
          agentId: 'agt_test',
          name: 'test',
          prefix: 'bh_test',
          keyHash: 'hash',
          scopes: ['events:write'],
        },
      });
      expect(await db.apiKey.findUnique({ where: { id: 'key_test' } })).toMatchObject({
        scopes: ['events:write'],
        revokedAt: null,
      });
    } finally {
      await db.$disconnect();
    }
  });
});

describe('the exact delivery state migration', () => {
  test('keeps the first of duplicate attempt rows a re-run wrote before the unique index', async () => {
    const url = throwawayUrl();
    await ensureDatabase(url);
    // The database as the first release left it: only the init migration applied.
    const before = mkdtempSync(path.join(tmpdir(), 'bellhop-migrations-'));
    try {
      cpSync(path.join(migrationsDir, 'migration_lock.toml'), path.join(before, 'migration_lock.toml'));
      cpSync(path.join(migrationsDir, folders[0]), path.join(before, folders[0]), { recursive: true });
      await applyMigrations({ databaseUrl: url, migrationsDir: before, schemaPath });
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
    await query(
      url,
      `INSERT INTO api_keys (id, name, prefix, key_hash, scopes) VALUES ('key_1', 'k', 'bh_1', 'h', '{}');
      INSERT INTO webhook_subscriptions (id, owner_key_id, agent_name, webhook_url, events, secret_encrypted, updated_at)
        VALUES ('sub_1', 'key_1', 'a', 'https://a.example', '{*}', 'x', now());
      INSERT INTO events (id, type, data) VALUES ('evt_1', 'booking.created', '{}');
      INSERT INTO deliveries (id, event_id, subscription_id, attempts, updated_at) VALUES ('dlv_1', 'evt_1', 'sub_1', 2, now());
      INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code) VALUES
        ('att_01', 'dlv_1', 1, now(), 5, 500), ('att_02', 'dlv_1', 1, now(), 5, 500),
        ('att_03', 'dlv_1', 2, now(), 5, 200), ('att_04', 'dlv_1', 2, now(), 5, 200)`,
    );

    expect((await applyMigrations({ databaseUrl: url, migrationsDir, schemaPath })).applied).toEqual(folders.slice(1));

    expect(await query(url, 'SELECT id, number FROM delivery_attempts ORDER BY id')).toEqual([
      { id: 'att_01', number: 1 },
      { id: 'att_03', number: 2 },
    ]);
    await expect(
      query(
        url,
        "INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms) VALUES ('att_05', 'dlv_1', 2, now(), 5)",
      ),
    ).rejects.toThrow(/delivery_attempts_delivery_id_number_key/);
  });
});

describe('diffSchemas', () => {
  const databaseUrl = withDatabaseName(baseUrl, 'postgres');

  test('writes the whole schema from an empty database', async () => {
    const sql = await diffSchemas({ databaseUrl, fromSchemaText: null, toSchemaPath: schemaPath });
    expect(sql).toContain('CREATE TABLE "api_keys"');
  });

  test('is empty when nothing changed', async () => {
    expect(
      await diffSchemas({ databaseUrl, fromSchemaText: readFileSync(schemaPath, 'utf8'), toSchemaPath: schemaPath }),
    ).toBe('');
  });
});
