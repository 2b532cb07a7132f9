import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
export type SqlPool = Pool;

// Prisma 7 talks to Postgres through a driver adapter; the adapter owns the pg pool.
export function createPrismaClient(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

export interface Database {
  db: Db;
  /** The same pool Prisma uses, for the few hot paths written as single SQL statements. */
  sql: SqlPool;
}

/**
 * Every statement is planned for its own parameters. The hot paths are named (prepared)
 * statements, and Postgres would otherwise settle on one generic plan per connection, made
 * while a table was still small (a fresh database, a new deployment) and kept as it grows:
 * measured, that turned key lookups into scans and tripled Postgres CPU per delivery.
 */
const PLAN_EVERY_STATEMENT = '-c plan_cache_mode=force_custom_plan';

/** One pg pool shared by Prisma and raw SQL; `onIdleError` hears about connections Postgres dropped. */
export function createDatabase(databaseUrl: string, poolSize: number, onIdleError: (error: Error) => void): Database {
  const sql = new Pool({ connectionString: databaseUrl, max: poolSize, options: PLAN_EVERY_STATEMENT });
  sql.on('error', onIdleError); // without a listener, a PG restart would crash the process
  return { db: new PrismaClient({ adapter: new PrismaPg(sql) }), sql };
}

/**
 * Runs one query so Prisma loads its query compiler (a WebAssembly module it reads on the first
 * query) before the process takes work. Otherwise the first job or request pays for it: about
 * 0.4 s of blocked event loop on the 2-core development VM, stalling every request in flight.
 * Postgres being out is not an error here: the first real query reports it.
 */
export async function warmUpPrisma(db: Db): Promise<void> {
  await db.event.findFirst({ select: { id: true } }).catch(() => undefined);
}
