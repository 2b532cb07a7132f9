// The environment each mode runs with. Anything already set in the shell wins over defaults.
const DEV = {
  NODE_ENV: 'development',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bellhop',
  REDIS_URL: 'redis://127.0.0.1:6379',
  // A developer's local receiver (e.g. `npm run cli -- listen`) lives on loopback over http.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
};

const TEST = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bellhop_test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: '{bellhop-test}',
  // Tests run on a single Redis; the cluster suite sets its own (from the test cluster the bootstrap starts).
  REDIS_CLUSTER_NODES: '',
  DELIVERY_QUEUE_SHARDS: '1',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  RETRY_SCHEDULE: '50ms,100ms,200ms',
  LOG_LEVEL: 'warn',
  LOG_SILENT: 'true',
};

// Drills restart the machine's PostgreSQL and Redis; their data lives apart from dev and test.
const DRILL = {
  NODE_ENV: 'test',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bellhop_drill',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: '{bellhop-drill}',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  RETRY_SCHEDULE: '1s,2s,4s,8s,8s,8s,8s,8s,8s,8s',
  SWEEP_INTERVAL: '2s',
  // A drill client sends thousands of events a minute with one key.
  RATE_LIMIT_SCALE: '1000',
  LOG_LEVEL: 'error',
};

// Benchmarks run the real services on their own database and prefix, logging only errors.
const BENCH = {
  NODE_ENV: 'production',
  ADMIN_TOKEN: 'bellhop-bench-admin-token',
  JWT_SECRET: 'bellhop-bench-jwt-secret-0123456789',
  SECRETS_KEY: 'ab'.repeat(32),
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/bellhop_bench',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: '{bellhop-bench}',
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  // Override, named in the bench's output: the producer posts thousands of events a second with one key.
  RATE_LIMIT_SCALE: '1000',
  LOG_LEVEL: 'error',
};

function envFor(mode) {
  const defaults = { test: TEST, drill: DRILL, bench: BENCH }[mode] ?? DEV;
  const env = { ...process.env };
  for (const [key, value] of Object.entries(defaults)) {
    // Tests never inherit the developer's database or prefix.
    if (mode !== 'dev' || env[key] === undefined || env[key] === '') env[key] = value;
  }
  if (mode === 'test') {
    env.TEST_RUN_ID = Date.now().toString(36);
    if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    if (process.env.TEST_REDIS_URL) env.REDIS_URL = process.env.TEST_REDIS_URL;
  }
  return env;
}

module.exports = { envFor };
