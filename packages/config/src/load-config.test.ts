import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, parseConfig } from './load-config';
import { envTableMarkdown } from './env-docs';

describe('config', () => {
  it('gives working defaults for local development', () => {
    const config = parseConfig({});
    expect(config.API_PORT).toBe(3000);
    expect(config.REALTIME_PORT).toBe(3001);
    expect(config.WORKER_PORT).toBe(3002);
    expect(config.QUEUE_PREFIX).toBe('{bellhop}');
    expect(config.RETRY_SCHEDULE).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(config.SHUTDOWN_TIMEOUT).toBe(10_000);
  });

  it('parses durations and booleans', () => {
    const config = parseConfig({ RETRY_SCHEDULE: '50ms,100ms,2s', WEBHOOK_ALLOW_HTTP: 'true', SHUTDOWN_TIMEOUT: '3s' });
    expect(config.RETRY_SCHEDULE).toEqual([50, 100, 2000]);
    expect(config.WEBHOOK_ALLOW_HTTP).toBe(true);
    expect(config.SHUTDOWN_TIMEOUT).toBe(3000);
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      parseConfig({ API_PORT: 'eighty', DATABASE_URL: 'not a url', RETRY_SCHEDULE: '5s,soon', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['API_PORT', 'DATABASE_URL', 'RETRY_SCHEDULE', 'LOG_LEVEL']) expect(problems).toContain(name);
  });

  it('reads Redis Cluster seeds and delivery shards, naming a bad node', () => {
    expect(parseConfig({}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseConfig({}).DELIVERY_QUEUE_SHARDS).toBe(1);
    const config = parseConfig({ REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001', DELIVERY_QUEUE_SHARDS: '4' });
    expect(config.REDIS_CLUSTER_NODES).toEqual(['redis-1:7000', '10.0.0.2:7001']);
    expect(config.DELIVERY_QUEUE_SHARDS).toBe(4);
    expect(() => parseConfig({ REDIS_CLUSTER_NODES: 'redis-1' })).toThrow(/REDIS_CLUSTER_NODES.*host:port/);
    expect(() => parseConfig({ DELIVERY_QUEUE_SHARDS: '0' })).toThrow(/DELIVERY_QUEUE_SHARDS/);
  });

  it('refuses the development secrets in production', () => {
    expect(() => parseConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN[\s\S]*JWT_SECRET[\s\S]*SECRETS_KEY/);
    expect(() =>
      parseConfig({
        NODE_ENV: 'production',
        ADMIN_TOKEN: 'a'.repeat(32),
        JWT_SECRET: 'b'.repeat(32),
        SECRETS_KEY: 'ab'.repeat(32),
      }),
    ).not.toThrow();
  });

  it('keeps the README env table in sync with the schema', () => {
    const readme = fs.readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(envTableMarkdown());
  });
});
