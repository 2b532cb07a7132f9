// Jest globalSetup/globalTeardown: per-file test databases are named bellhop_t_<run>_<rand>
// (see packages/testing). Teardown drops this run's; setup drops those of runs that crashed
// more than three hours ago.
const { Client } = require('pg');

const STALE_MS = 3 * 3600_000;

async function dropWhere(predicate) {
  const url = new URL(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bellhop_test');
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT datname FROM pg_database');
    for (const { datname } of rows) {
      const match = /^bellhop_t_([a-z0-9]+)_[a-z0-9]+$/.exec(datname);
      if (match && predicate(match[1])) {
        await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
  } finally {
    await client.end();
  }
}

async function setup() {
  process.env.TEST_RUN_ID ??= Date.now().toString(36);
  await dropWhere((run) => Date.now() - parseInt(run, 36) > STALE_MS);
}

async function teardown() {
  const run = process.env.TEST_RUN_ID;
  if (run) await dropWhere((candidate) => candidate === run);
}

module.exports = { setup, teardown };
