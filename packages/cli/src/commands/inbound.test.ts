import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHmac } from 'node:crypto';
import { createHostWithToken, createTestEnv, freePort, startServiceProcess, type TestEnv } from '@bellhop/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURES = path.join(ROOT, 'packages/domain/src/inbound/fixtures');
let env: TestEnv;
let api: Awaited<ReturnType<typeof startServiceProcess>>;
beforeAll(async () => {
  const port = await freePort();
  env = await createTestEnv({ PUBLIC_API_URL: `http://127.0.0.1:${port}` });
  api = await startServiceProcess('api', { ...env.processEnv, API_PORT: String(port) }, port);
});
afterAll(async () => {
  await api?.stop();
  await env.close();
});

/** Posts raw bytes to the URL the CLI printed, on the real API process. */
const post = async (url: string, raw: string, headers: Record<string, string>) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: raw,
  });
  return { status: res.status, body: (await res.json()) as { data: { status: string } } };
};

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    cwd: ROOT,
    env: { ...env.processEnv, TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.dev.json') },
  });

describe('cli inbound create', () => {
  it('prints a Hospitable URL and signing secret that a signed fixture is accepted with', async () => {
    const { hostId } = await createHostWithToken(env.ctx);
    const out = JSON.parse(
      (await cli('inbound', 'create', '--provider', 'hospitable', '--host', hostId, '--json')).stdout,
    );
    expect(out).toEqual({
      id: expect.stringMatching(/^inb_/),
      provider: 'hospitable',
      host_id: hostId,
      url: `${api.url}/api/v1/inbound/hospitable/${out.id}`,
      signing_secret: expect.any(String),
    });
    const raw = readFileSync(path.join(FIXTURES, 'hospitable/reservation-created.json'), 'utf8');
    const res = await post(out.url, raw, {
      Signature: createHmac('sha256', out.signing_secret).update(raw).digest('hex'),
    });
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('accepted');
  });

  it('prints a Hostaway login and password that Basic auth accepts', async () => {
    const { hostId } = await createHostWithToken(env.ctx);
    const out = JSON.parse(
      (await cli('inbound', 'create', '--provider', 'hostaway', '--host', hostId, '--json')).stdout,
    );
    expect(out).toMatchObject({ provider: 'hostaway', login: expect.any(String), password: expect.any(String) });
    expect(out.signing_secret).toBeUndefined();
    const raw = readFileSync(path.join(FIXTURES, 'hostaway/reservation-created.json'), 'utf8');
    const res = await post(out.url, raw, {
      Authorization: `Basic ${Buffer.from(`${out.login}:${out.password}`).toString('base64')}`,
    });
    expect(res.body.data.status).toBe('accepted');
  });

  it('exits 2 naming the problem for a bad provider or an unknown host', async () => {
    for (const args of [
      ['--provider', 'airbnb', '--host', 'hst_x'],
      ['--provider', 'hostaway', '--host', 'hst_missing'],
    ]) {
      const failed = await cli('inbound', 'create', ...args).catch((e) => e);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/provider|no host/);
    }
  });
});
