import { Client } from 'pg';

/** Readiness: a fresh connection, so an exhausted pool of the pull streams does not hide a reachable Postgres. */
export async function pingPostgres(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
