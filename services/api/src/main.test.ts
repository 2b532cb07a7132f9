import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestEnv, freePort, startServiceProcess, type TestEnv } from '@bellhop/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('api process', () => {
  it('serves a key created with the CLI and exits 0 on SIGTERM', async () => {
    const cli = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        'packages/cli/src/main.ts',
        'api-key',
        'create',
        '--name',
        'cli-test',
        '--scopes',
        'webhooks:read',
        '--json',
      ],
      {
        cwd: ROOT,
        env: { ...env.processEnv, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
      },
    );
    const key = JSON.parse(cli.stdout);
    expect(key.token).toMatch(/^bh_/);
    expect(key.scopes).toEqual(['webhooks:read']);

    const port = await freePort();
    const api = await startServiceProcess('api', { ...env.processEnv, API_PORT: String(port) }, port);
    const res = await fetch(`${api.url}/api/v1/whoami`, { headers: { Authorization: `Bearer ${key.token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toMatchObject({ kind: 'agent', name: 'cli-test' });
    const started = Date.now();
    expect(await api.stop('SIGTERM')).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('exits 1 listing every invalid variable', async () => {
    const result = await run(process.execPath, ['--import', 'tsx', 'services/api/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...env.processEnv,
        API_PORT: 'x',
        REDIS_URL: 'nope',
        TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json'),
      },
    }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/API_PORT[\s\S]*REDIS_URL|REDIS_URL[\s\S]*API_PORT/);
  });
});
