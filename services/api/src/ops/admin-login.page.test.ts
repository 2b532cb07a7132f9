import { mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestEnv, launchBrowser, type Browser, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let server: Server;
let base: string;
let browser: Browser;
beforeAll(async () => {
  env = await createTestEnv();
  server = createApp({ ctx: env.ctx }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  await env.close();
});

describe('operator sign-in in a browser', () => {
  it('opens Bull Board after the form, sends the CSRF token with its writes, and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const outside: string[] = [];
    // Bull Board's page links Google Fonts: the CSP stops that request in the browser, so nothing answers from outside.
    page.on('response', (res) => {
      if (!res.url().startsWith(base)) outside.push(res.url());
    });

    await page.goto(`${base}/admin/queues`);
    expect(page.url()).toBe(`${base}/admin/login`);
    await page.fill('input[name=token]', 'not-the-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong admin token' }).waitFor();

    await page.fill('input[name=token]', env.config.ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/admin/queues`);
    await page.getByText('deliveries', { exact: true }).first().waitFor();
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'bellhop_admin')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/admin',
    });
    await page.screenshot({ path: path.join(mkdtempSync(path.join(tmpdir(), 'bellhop-admin-')), 'bull-board.png') });

    // A write from the page: refused without the token, accepted with the one the XSRF-TOKEN cookie holds (as Bull Board sends it).
    const token = cookies.find((c) => c.name === 'XSRF-TOKEN')?.value ?? '';
    const statuses = await page.evaluate(async (xsrf) => {
      const put = (headers: Record<string, string>) =>
        fetch('/admin/queues/api/queues/inbound/retry/failed', { method: 'PUT', headers }).then((r) => r.status);
      return [await put({}), await put({ 'X-XSRF-TOKEN': xsrf })];
    }, token);
    expect(statuses).toEqual([403, 200]);

    await page.locator('ul[class^=actions] > li:last-child button').click(); // the board's menu of extra links
    await page.getByText('Sign out').first().click();
    await page.waitForURL(`${base}/admin/logout`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/admin/login`);
    await page.goto(`${base}/admin/queues`);
    expect(page.url()).toBe(`${base}/admin/login`);
    expect(outside).toEqual([]);
    await context.close();
  }, 60_000);
});
