import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createNotification, markNotificationRead, OPERATOR } from '@bellhop/domain';
import {
  createAgentKey,
  createHostWithToken,
  createTestEnv,
  freePort,
  launchBrowser,
  startServiceProcess,
  type Browser,
  type TestEnv,
} from '@bellhop/testing';

const ROOT = path.resolve(__dirname, '../../../..');
type Service = Awaited<ReturnType<typeof startServiceProcess>>;

let env: TestEnv;
let api: Service;
let realtime: Service;
let browser: Browser;
let realtimePort: number;
const startRealtime = () =>
  startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(realtimePort) }, realtimePort);
beforeAll(async () => {
  const apiPort = await freePort();
  realtimePort = await freePort();
  env = await createTestEnv({
    PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`,
    PUBLIC_REALTIME_URL: `http://127.0.0.1:${realtimePort}`,
  });
  api = await startServiceProcess('api', { ...env.processEnv, API_PORT: String(apiPort) }, apiPort);
  realtime = await startRealtime();
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
    page.on('request', (req) => {
      if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(req.url())) outside.push(req.url());
    });

    await page.goto(`${realtime.url}/dashboard`);
    await page.fill('input[name=hostId]', hostId);
    await page.fill('input[name=token]', token);
    await page.click('button[type=submit]');
    await page.getByTestId('status').filter({ hasText: 'live' }).waitFor();
    await page.getByTestId('unread').filter({ hasText: /^0$/ }).waitFor();
    expect(await (await fetch(`${realtime.url}/metrics`)).text()).toMatch(/^bellhop_sse_connections [1-9]/m);

    const posted = await fetch(`${api.url}/api/v1/hosts/${hostId}/notifications`, {
      method: 'POST',
      headers: { Authorization: agent.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'guest_message',
        title: 'Guest asks about parking',
        message: 'Is there a spot for an SUV?',
        priority: 'high',
      }),
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
        method: 'POST',
        headers: { Authorization: agent.auth, 'Content-Type': 'application/json' },
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

  it('recovers from a realtime restart without losing a notification, and never pushes a muted type', async () => {
    const { hostId, token, auth } = await createHostWithToken(env.ctx);
    const agent = await createAgentKey(env.ctx, { scopes: ['notifications:write'] });
    const notify = (type: string, title: string) =>
      fetch(`${api.url}/api/v1/hosts/${hostId}/notifications`, {
        method: 'POST',
        headers: { Authorization: agent.auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ type, title, message: 'FYI', priority: 'high' }),
      }).then((res) => expect(res.status).toBe(201));
    const settings = await fetch(`${api.url}/api/v1/hosts/${hostId}/settings`, {
      method: 'PUT',
      headers: { Authorization: auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ notification_preferences: { muted_types: ['system'] } }),
    });
    expect(settings.status).toBe(200);
    const page = await signIn(hostId, token);

    await notify('guest_message', 'Before the restart');
    await page.locator('li', { hasText: 'Before the restart' }).waitFor();
    await notify('system', 'Muted maintenance note');
    await notify('guest_message', 'After the muted one');
    await page.locator('li', { hasText: 'After the muted one' }).waitFor();
    await page.getByTestId('unread').filter({ hasText: /^2$/ }).waitFor();
    expect(await page.locator('li', { hasText: 'Muted maintenance note' }).count()).toBe(0);

    await realtime.stop();
    await page.locator('[data-testid=status].reconnecting').waitFor();
    await notify('guest_message', 'Sent while realtime was down');
    realtime = await startRealtime();
    await page.getByTestId('status').filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });
    await page.locator('li', { hasText: 'Sent while realtime was down' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('unread').filter({ hasText: /^3$/ }).waitFor();
    expect(await page.locator('li', { hasText: 'Muted maintenance note' }).count()).toBe(0);

    // Muted is stored all the same: the list shows it once fetched, the counter leaves it out.
    await page.reload();
    await page.locator('li', { hasText: 'Muted maintenance note' }).waitFor();
    await page.getByTestId('unread').filter({ hasText: /^3$/ }).waitFor();
    await page.close();
  }, 120_000);

  it('filters all / unread / high priority and pages with "load more"', async () => {
    const { hostId, token } = await createHostWithToken(env.ctx);
    for (let i = 1; i <= 25; i++) {
      const n = await createNotification(env.ctx, OPERATOR, hostId, {
        type: 'guest_message',
        title: `Message ${i}`,
        message: 'FYI',
        priority: i % 5 === 0 ? 'high' : 'low',
      });
      if (i <= 10) await markNotificationRead(env.ctx, hostId, n.id);
    }
    const page = await signIn(hostId, token);
    const rows = page.locator('[data-testid=notifications] li');
    await page.locator('li', { hasText: 'Message 25' }).waitFor();
    expect(await rows.count()).toBe(20);
    await page.getByTestId('load-more').click();
    await rows.nth(24).waitFor();
    expect(await rows.count()).toBe(25);
    expect(await page.getByTestId('load-more').isHidden()).toBe(true);

    await page.getByRole('button', { name: 'High priority' }).click();
    await page.locator('li', { hasText: 'Message 24' }).waitFor({ state: 'detached' });
    expect(await rows.locator('.title').allTextContents()).toEqual([
      'Message 25',
      'Message 20',
      'Message 15',
      'Message 10',
      'Message 5',
    ]);

    await page.getByRole('button', { name: 'Unread' }).click();
    await page.locator('li', { hasText: 'Message 24' }).waitFor();
    expect(await rows.count()).toBe(15);
    expect(await page.locator('li.read').count()).toBe(0);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.locator('li.read').first().waitFor();
    expect(await rows.count()).toBe(20);
    await page.close();
  }, 120_000);
});

async function signIn(hostId: string, token: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  await page.goto(`${realtime.url}/dashboard`);
  await page.fill('input[name=hostId]', hostId);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.getByTestId('status').filter({ hasText: 'live' }).waitFor();
  return page;
}
