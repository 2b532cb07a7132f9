#!/usr/bin/env node
// Entry point of `npm run up`, `npm test`, `npm run db:migrate` and `npm run cli`.
// Plain Node with no dependencies, because it runs before `npm install` has.
const { ensureInstalled, build } = require('./lib/install');
const { ensureServices } = require('./lib/services');
const { ensureTestPrerequisites } = require('./lib/prerequisites');
const { migrate } = require('./lib/migrate');
const path = require('node:path');
const { ROOT, runSelf, mustRun, exitWith } = require('./lib/proc');
const { envFor } = require('./lib/env');

const [command, ...args] = process.argv.slice(2);

async function main() {
  ensureInstalled();
  if (command === 'cli') {
    build({ quiet: true });
    // The built CLI runs in this process: a second Node start would be most of a quick command's time.
    Object.assign(process.env, envFor('dev'));
    process.argv = [process.argv[0], path.join(ROOT, 'packages', 'cli', 'dist', 'main.js'), ...args];
    return require(process.argv[1]);
  }
  const mode = ['test', 'drill', 'bench'].includes(command) ? command : 'dev';
  const env = envFor(mode);
  await ensureServices(env);
  if (command === 'test') ensureTestPrerequisites(env);
  build({ quiet: mode === 'test' });
  migrate(env.DATABASE_URL, { fresh: mode === 'drill' || mode === 'bench' });
  if (command === 'migrate') return;
  if (command === 'test') {
    mustRun(['npx', 'tsc', '-p', 'tsconfig.check.json'], env, { quiet: true });
    mustRun(['npm', 'run', '--silent', 'lint'], env, { quiet: true });
    mustRun(['npm', 'run', '--silent', 'format:check'], env, { quiet: true });
    return exitWith(runSelf(['npx', 'jest', ...args], env));
  }
  if (command === 'up') return require('./lib/up').up(env);
  if (command === 'drill' || command === 'bench') {
    mustRun(
      [
        'npx',
        'tsx',
        '-e',
        `require('./packages/testing/src/test-env').deleteKeys(process.env.REDIS_URL, process.env.QUEUE_PREFIX)`,
      ],
      { ...env, TSX_TSCONFIG_PATH: 'tsconfig.dev.json' },
    );
    return exitWith(
      runSelf(['npx', 'tsx', `scripts/${command}/main.ts`, ...args], {
        ...env,
        TSX_TSCONFIG_PATH: 'tsconfig.dev.json',
      }),
    );
  }
  throw new Error(`unknown command "${command}" (expected up, test, migrate, drill, bench or cli)`);
}

main().catch((error) => {
  process.stderr.write(`\n${error.message}\n`);
  process.exit(1);
});
