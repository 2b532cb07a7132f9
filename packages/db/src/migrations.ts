import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg' with {
  'resolution-mode': 'import',
};
import type * as EngineGlue from '@prisma/schema-engine-wasm/schema_engine_bg' with { 'resolution-mode': 'import' };
import { Client, Pool } from 'pg';

type Glue = typeof EngineGlue;
// @types/node does not declare the WebAssembly global; this is the part we use.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

const NO_FILTERS = { externalTables: [], externalEnums: [] };
// Our own runners (parallel test workers, several replicas) queue here; Prisma's engine uses 72707369.
const MIGRATION_LOCK_KEY = 0x62656c6c;

let glue: Promise<Glue> | undefined;

// jest (CommonJS, Node 20) cannot load the engine's ES-module glue, so run its source here; one wasm per glue, as it keeps module state.
function loadEngine(): Promise<Glue> {
  glue ??= (async () => {
    const file = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const names: string[] = [];
    const body = (await readFile(file, 'utf8')).replace(
      /^export (function|class) (\w+)/gm,
      (_m, kind: string, name: string) => {
        names.push(name);
        return `${kind} ${name}`;
      },
    );
    if (/^export /m.test(body)) throw new Error(`unexpected export form in ${file}`);
    // The engine never cancels its advisory-lock timeout timer (10 s); unref it so it cannot hold the process open.
    const unrefTimeout = (fn: () => void, ms: number) => setTimeout(fn, ms).unref();
    const run = new Function('setTimeout', `${body}\nreturn { ${names.join(', ')} };`) as (
      timeout: typeof unrefTimeout,
    ) => Glue;
    const bg = run(unrefTimeout);
    const { instance } = await WebAssembly.instantiate(await readFile(file.replace(/\.js$/, '.wasm')), {
      './schema_engine_bg.js': bg,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return bg;
  })();
  return glue;
}

// The engine needs a live connection even for offline work; free it and end the pool so the process can exit.
async function withEngine<T>(
  databaseUrl: string,
  schemaPath: string,
  schema: string,
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngine();
  const pool = new Pool({ connectionString: databaseUrl });
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
    const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
    try {
      return await fn(engine);
    } finally {
      engine.free();
    }
  } finally {
    await pool.end();
  }
}

// Same shape the Prisma CLI builds from the folder, so checksums and names match `migrate deploy`.
async function readMigrations(migrationsDir: string): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const lockfile = {
    path: 'migration_lock.toml',
    content: await readFile(path.join(baseDir, 'migration_lock.toml'), 'utf8').catch(() => null),
  };
  const entries = await readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const dirs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrationDirectories = await Promise.all(
    dirs.map(async (dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: await readFile(path.join(baseDir, dir, 'migration.sql'), 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (err: Error) => ({ tag: 'error' as const, value: err.message }),
        ),
      },
    })),
  );
  return { baseDir, lockfile, shadowDbInitScript: '', migrationDirectories };
}

// A session-level advisory lock, released when the dedicated connection closes.
async function withMigrationLock<T>(databaseUrl: string, fn: () => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    return await fn();
  } finally {
    await client.end();
  }
}

export interface ApplyMigrationsOptions {
  databaseUrl: string;
  migrationsDir: string;
  schemaPath: string;
}

/** Applies pending prisma/migrations folders and records them in _prisma_migrations like `prisma migrate deploy`. */
export async function applyMigrations({
  databaseUrl,
  migrationsDir,
  schemaPath,
}: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const [migrationsList, schema] = await Promise.all([readMigrations(migrationsDir), readFile(schemaPath, 'utf8')]);
  return withMigrationLock(databaseUrl, () =>
    withEngine(databaseUrl, schemaPath, schema, async (engine) => {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
      return { applied: appliedMigrationNames };
    }),
  );
}

export interface DiffSchemasOptions {
  databaseUrl: string;
  /** The previous schema's text, or null to diff from an empty database. */
  fromSchemaText: string | null;
  toSchemaPath: string;
}

/** Migration SQL that turns the `from` schema into the one at toSchemaPath; '' when they match. */
export async function diffSchemas({ databaseUrl, fromSchemaText, toSchemaPath }: DiffSchemasOptions): Promise<string> {
  const to = { path: toSchemaPath, content: await readFile(toSchemaPath, 'utf8') };
  const from =
    fromSchemaText === null
      ? { tag: 'empty' as const }
      : { tag: 'schemaDatamodel' as const, files: [{ path: toSchemaPath, content: fromSchemaText }] };
  const result = await withEngine(databaseUrl, to.path, to.content, (engine) =>
    engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [to] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  // With exitCode requested the engine reports 2 when there are changes, 0 when there are none.
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}
