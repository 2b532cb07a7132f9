import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createAgentKey, createHostWithToken, createTestEnv, freePort, launchBrowser, startServiceProcess, type Browser, type TestEnv } from '@bellhop/testing';

const ROOT = path.resolve(__dirname, '../../../..');
type Service = Awaited<ReturnType<typeof startServiceProcess>>;

let env: TestEnv;
let api: Service;
let realtime: Service;
let browser: Browser;
beforeAll(async () => {
  const [apiPort, realtimePort] = [await freePort(), await freePort()];
  env = await createTestEnv({ PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`, PUBLIC_REALTIME_URL: `http://127.0.0.1:${realtimePort}` });
  api = await startServiceProcess('api', { ...env.processEnv, API_PORT: String(apiPort) }, apiPort);
  realtime = await startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(realtimePort) }, realtimePort);
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([api?.stop(), realtime?.stop()]);
  await env.close();
});

describe('host dashboard', () => {
  it('shows notifications posted through the API live; marking one or all read updates the counter', async () => {
    const { hostId, token } = await createHostWithToken(env.ctx);
    const agent = await createAgentKey(env.ctx, { scopes: ['notifications:write'] });
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const outside: string[] = [];
    page.on('request', (req) => { if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(req.url())) outside.push(req.url()); });

    await page.goto(`${realtime.url}/dashboard`);
    await page.fill('input[name=hostId]', hostId);
    await page.fill('input[name=token]', token);
    await page.click('button[type=submit]');
    await page.getByTestId('status').filter({ hasText: 'live' }).waitFor();
    await page.getByTestId('unread').filter({ hasText: /^0$/ }).waitFor();
    expect(await (await fetch(`${realtime.url}/metrics`)).text()).toMatch(/^bellhop_sse_connections [1-9]/m);

    const posted = await fetch(`${api.url}/api/v1/hosts/${hostId}/notifications`, {
      method: 'POST', headers: { Authorization: agent.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'guest_message', title: 'Guest asks about parking', message: 'Is there a spot for an SUV?', priority: 'high' }),
    });
    expect(posted.status).toBe(201);
    const item = page.locator('li', { hasText: 'Guest asks about parking' });
    await item.waitFor();
    expect(await item.locator('.badge').textContent()).toBe('high');
    await page.getByTestId('unread').filter({ hasText: /^1$/ }).waitFor();

    mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-artifacts', 'dashboard.png'), fullPage: true });

    await item.getByRole('button', { name: 'Mark read' }).click();
    await page.getByTestId('unread').filter({ hasText: /^0$/ }).waitFor();
    await page.locator('li.read', { hasText: 'Guest asks about parking' }).waitFor();

    for (const title of ['Cleaner running late', 'Review received']) {
      await fetch(`${api.url}/api/v1/hosts/${hostId}/notifications`, {
        method: 'POST', headers: { Authorization: agent.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'guest_message', title, message: 'FYI', priority: 'low' }),
      });
    }
    await page.getByTestId('unread').filter({ hasText: /^2$/ }).waitFor();
    await page.getByTestId('read-all').click();
    await page.getByTestId('unread').filter({ hasText: /^0$/ }).waitFor();
    expect(await page.locator('li.unread').count()).toBe(0);
    expect(outside).toEqual([]);
    await page.close();
  });
});
