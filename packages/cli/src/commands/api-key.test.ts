import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createAgent } from '@bellhop/domain';
import { createTestEnv, type TestEnv } from '@bellhop/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...env.processEnv, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
  });
const json = async (...args: string[]) => JSON.parse((await cli(...args, '--json')).stdout);

describe('api-key rate limits from the CLI', () => {
  it('creates keys with --rate-limit (with --name or --agent) and changes them', async () => {
    const platform = await json(
      'api-key',
      'create',
      '--name',
      'cli-producer',
      '--platform',
      '--scopes',
      'events:write',
      '--rate-limit',
      '6000/min',
    );
    expect(platform).toMatchObject({
      agent: { kind: 'platform' },
      rateLimitPerMinute: 6000,
      effectiveRateLimitPerMinute: 6000,
    });
    const partner = await createAgent(env.ctx.db, { name: 'cli-partner', kind: 'partner' });
    const second = await json('api-key', 'create', '--agent', partner.id, '--rate-limit', '20/s');
    expect(second).toMatchObject({ agent: { id: partner.id }, rateLimitPerMinute: 1200 });

    const changed = await json('api-key', 'limit', second.id, '--rate-limit', 'default');
    expect(changed).toMatchObject({ id: second.id, rateLimitPerMinute: null, effectiveRateLimitPerMinute: 600 });
    const stored = await env.ctx.db.apiKey.findMany({
      where: { id: { in: [platform.id, second.id] } },
      orderBy: { createdAt: 'asc' },
    });
    expect(stored.map((k) => k.rateLimitPerMinute)).toEqual([6000, null]);
  }, 180_000); // three CLI processes, each compiling its TypeScript: slow only on a busy machine

  it('refuses a malformed --rate-limit before creating anything', async () => {
    const agents = await env.ctx.db.agent.count();
    const failed = await cli('api-key', 'create', '--name', 'cli-typo', '--rate-limit', '6000/hour').catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('--rate-limit must be N/min or N/s') });
    expect(await env.ctx.db.agent.count()).toBe(agents);
  }, 60_000);
});
