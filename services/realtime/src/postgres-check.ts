import { Client } from 'pg';

/** Readiness only: realtime reads nothing from Postgres, but reports it like every service. */
export async function pingPostgres(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
