const { mustRun } = require('./proc');

/** Creates the database if missing and applies prisma/migrations (scripts/migrate.ts). */
function migrate(databaseUrl, { fresh = false } = {}) {
  mustRun(['npx', 'tsx', 'scripts/migrate.ts', ...(fresh ? ['--fresh'] : [])], {
    ...process.env,
    DATABASE_URL: databaseUrl,
  });
}

module.exports = { migrate };
