// Creates the database if needed and applies pending prisma/migrations (the WASM engine's `migrate deploy`).
import path from 'node:path';
import { dropDatabase, ensureDatabase } from '../packages/db/src/database';
import { applyMigrations } from '../packages/db/src/migrations';

const root = path.resolve(__dirname, '..');
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop';

async function main(): Promise<void> {
  // --fresh: drills and benchmarks start from an empty database every run.
  if (process.argv.includes('--fresh')) await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  const { applied } = await applyMigrations({
    databaseUrl,
    migrationsDir: path.join(root, 'prisma', 'migrations'),
    schemaPath: path.join(root, 'prisma', 'schema.prisma'),
  });
  for (const name of applied) console.log(`applied ${name}`);
  if (applied.length === 0) console.log('database is up to date');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
