import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createPrismaClient } from './client';
import { cloneDatabase, dropDatabase, ensureDatabase, withDatabaseName } from './database';
import { applyMigrations, diffSchemas } from './migrations';

const root = path.resolve(__dirname, '../../..');
const migrationsDir = path.join(root, 'prisma', 'migrations');
const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const baseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop';
const folders = readdirSync(migrationsDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
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

    const tables = (await query<{ table_name: string }>(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(['api_keys', 'events', 'deliveries', '_prisma_migrations']));

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; applied_steps_count: number }>(
      url, 'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
    for (const row of rows) {
      const sql = readFileSync(path.join(migrationsDir, row.migration_name, 'migration.sql'));
      expect(row).toMatchObject({ checksum: createHash('sha256').update(sql).digest('hex'), rolled_back_at: null, applied_steps_count: 1 });
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
    expect(await query(copyUrl, 'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name')).toEqual(folders.map((migration_name) => ({ migration_name })));
    expect(await applyMigrations({ ...options, databaseUrl: copyUrl })).toEqual({ applied: [] });
  });

  test('the generated client works against the migrated schema', async () => {
    const db = createPrismaClient(url);
    try {
      await db.agent.create({ data: { id: 'agt_test', name: 'test' } });
      await db.apiKey.create({ data: { id: 'key_test', agentId: 'agt_test', name: 'test', prefix: 'bh_test', keyHash: 'hash', scopes: ['events:write'] } });
      expect(await db.apiKey.findUnique({ where: { id: 'key_test' } })).toMatchObject({ scopes: ['events:write'], revokedAt: null });
    } finally {
      await db.$disconnect();
    }
  });
});

describe('diffSchemas', () => {
  const databaseUrl = withDatabaseName(baseUrl, 'postgres');

  test('writes the whole schema from an empty database', async () => {
    const sql = await diffSchemas({ databaseUrl, fromSchemaText: null, toSchemaPath: schemaPath });
    expect(sql).toContain('CREATE TABLE "api_keys"');
  });

  test('is empty when nothing changed', async () => {
    expect(await diffSchemas({ databaseUrl, fromSchemaText: readFileSync(schemaPath, 'utf8'), toSchemaPath: schemaPath })).toBe('');
  });
});
