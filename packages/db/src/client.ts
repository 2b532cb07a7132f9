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

/** One pg pool shared by Prisma and raw SQL; `onIdleError` hears about connections Postgres dropped. */
export function createDatabase(databaseUrl: string, poolSize: number, onIdleError: (error: Error) => void): Database {
  const sql = new Pool({ connectionString: databaseUrl, max: poolSize });
  sql.on('error', onIdleError); // without a listener, a PG restart would crash the process
  return { db: new PrismaClient({ adapter: new PrismaPg(sql) }), sql };
}
