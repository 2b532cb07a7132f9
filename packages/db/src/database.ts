import { Client } from 'pg';

const SAFE_NAME = /^[A-Za-z0-9_]+$/;

function checkName(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`unsupported database name "${name}": use only [a-zA-Z0-9_]`);
  return name;
}

function databaseName(databaseUrl: string): string {
  return checkName(decodeURIComponent(new URL(databaseUrl).pathname.slice(1)));
}

/** The same server and credentials, another database. */
export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${checkName(name)}`;
  return url.toString();
}

// CREATE/DROP DATABASE cannot run inside the target database, so use the server's `postgres` one.
async function onServer<T>(databaseUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: withDatabaseName(databaseUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database if it is missing; resolves true when it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseName(databaseUrl);
  return onServer(databaseUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      return true;
    } catch (err) {
      // Another process created it between our check and our CREATE.
      if (isPgError(err, '42P04') || isPgError(err, '23505')) return false;
      throw err;
    }
  });
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await onServer(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Copies a database (schema and rows) with CREATE DATABASE … TEMPLATE; returns the copy's URL. */
export async function cloneDatabase(templateUrl: string, newName: string): Promise<string> {
  const template = databaseName(templateUrl);
  const url = withDatabaseName(templateUrl, newName);
  await onServer(templateUrl, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${newName}" TEMPLATE "${template}"`);
        return;
      } catch (err) {
        // 55006: a connection to the template (e.g. a pool still closing) blocks the copy for a moment.
        if (!isPgError(err, '55006') || attempt >= 3) throw err;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  });
  return url;
}

function isPgError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
