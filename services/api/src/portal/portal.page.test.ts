import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import path from 'node:path';
import {
  createAgentKey,
  createTestEnv,
  freePort,
  launchBrowser,
  startReceiver,
  startServiceProcess,
  type Browser,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';
import { createApp } from '../app';

type Service = Awaited<ReturnType<typeof startServiceProcess>>;

let env: TestEnv;
let api: { url: string; server: Server };
let worker: Service;
let receiver: Receiver;
let browser: Browser;
beforeAll(async () => {
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  // One quick retry, so a broken receiver turns a delivery `failed` within the test.
  env = await createTestEnv({
    PUBLIC_API_URL: `http://127.0.0.1:${apiPort}`,
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    RETRY_SCHEDULE: '200ms',
  });
  const server = createApp({ ctx: env.ctx }).listen(apiPort, '127.0.0.1');
  api = { url: env.config.PUBLIC_API_URL, server };
  worker = await startServiceProcess(
    'delivery-worker',
    { ...env.processEnv, WORKER_PORT: String(workerPort) },
    workerPort,
  );
  receiver = await startReceiver();
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await receiver?.close();
  await worker?.stop();
  if (api)
    await new Promise((resolve) => {
      api.server.closeAllConnections();
      api.server.close(resolve);
    });
  await env.close();
});

describe('agent portal', () => {
  it('signs in by link; creates a subscription, sends a test event, shows it succeed, then fail with its status code, and retries it', async () => {
    const agent = await createAgentKey(env.ctx, { name: 'booking-assistant' });
    const link = await fetch(`${api.url}/api/v1/external/portal-sessions`, {
      method: 'POST',
      headers: { Authorization: agent.auth },
    });
    expect(link.status).toBe(201);
    const { url } = ((await link.json()) as { data: { url: string } }).data;

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const outside: string[] = [];
    page.on('request', (req) => {
      if (!/^https?:\/\/127\.0\.0\.1[:/]/.test(req.url())) outside.push(req.url());
    });
    page.on('dialog', (dialog) => {
      void dialog.accept();
    });
    await page.goto(url);
    await page.getByTestId('who').filter({ hasText: 'booking-assistant' }).waitFor();
    expect(page.url()).toBe(`${api.url}/portal`); // the one-time token left the address bar

    await page.getByRole('button', { name: 'New subscription' }).click();
    await page.fill('input[name=agent_name]', 'Guest messaging bot');
    await page.fill('input[name=webhook_url]', `${receiver.url}/hooks/bellhop`);
    await page.fill('input[name=events]', 'booking.*, payment.received');
    await page.getByRole('button', { name: 'Save' }).click();
    await page
      .getByTestId('secret')
      .filter({ hasText: /^whsec_/ })
      .waitFor();
    await page.getByRole('button', { name: 'I stored it' }).click();
    await page.locator('#subscriptions tr', { hasText: 'Guest messaging bot' }).waitFor();

    await page.getByRole('button', { name: 'Send test event' }).click();
    await page.locator('#deliveries tr', { hasText: 'webhook.test' }).locator('.badge.succeeded').waitFor();
    expect((await receiver.waitForCount(1))[0].path).toBe('/hooks/bellhop');

    receiver.setReply(() => ({ status: 500, body: 'receiver is down for maintenance' }));
    await page.getByRole('button', { name: 'Send test event' }).click();
    const failed = page.locator('#deliveries tr.row', { has: page.locator('.badge.failed') });
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.locator('td').nth(4).textContent()).toBe('500');
    await failed.click();
    await page.locator('#deliveries tr.attempts', { hasText: 'receiver is down for maintenance' }).waitFor();
    expect(await page.locator('#deliveries tr.attempts td', { hasText: /^500$/ }).count()).toBeGreaterThan(0);
    await page.getByTestId('stats').locator('svg').waitFor();
    await page.screenshot({
      path: path.join(mkdtempSync(path.join(tmpdir(), 'bellhop-portal-')), 'portal.png'),
      fullPage: true,
    });

    receiver.setReply(() => ({ status: 200 }));
    await failed.getByRole('button', { name: 'Retry' }).click();
    await page
      .locator('#deliveries tr.row', { has: page.locator('.badge.failed') })
      .waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.locator('#deliveries tr.row .badge.succeeded').count()).toBe(2);
    expect(receiver.requests.at(-1)?.path).toBe('/hooks/bellhop');

    // The page calls the API as its key, so the subscription is there for the key's bearer too.
    const listed = await fetch(`${api.url}/api/v1/external/webhook-subscriptions`, {
      headers: { Authorization: agent.auth },
    });
    expect(
      ((await listed.json()) as { data: { items: { agent_name: string }[] } }).data.items.map((s) => s.agent_name),
    ).toEqual(['Guest messaging bot']);
    expect(outside).toEqual([]);
    await page.close();
  }, 90_000);

  it('takes a pasted API key, and signs out', async () => {
    const agent = await createAgentKey(env.ctx, { name: 'pasted-key-agent' });
    const page = await browser.newPage();
    await page.goto(`${api.url}/portal`);
    await page.fill('input[name=api_key]', 'bh_not_a_real_key_at_all_padding');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error', { hasText: 'Sign-in failed' }).waitFor();
    await page.fill('input[name=api_key]', agent.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('who').filter({ hasText: 'pasted-key-agent' }).waitFor();
    await page.getByRole('button', { name: 'Event catalog' }).click();
    const type = page.locator('#catalog details', { hasText: 'booking.created' });
    await type.locator('summary').click();
    await type.locator('pre', { hasText: '"booking_id": "booking_01JD0T3Q8M2W"' }).waitFor();
    await page.reload();
    await page.getByTestId('who').filter({ hasText: 'pasted-key-agent' }).waitFor(); // the cookie outlives a reload
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in', { hasText: 'Signed out.' }).waitFor();
    await page.reload();
    await page.locator('#sign-in').waitFor();
    expect(await page.locator('#portal').isHidden()).toBe(true);
    await page.close();
  }, 60_000);

  it('shows a pull subscription as such, and renames it without asking for a URL', async () => {
    const agent = await createAgentKey(env.ctx, { name: 'offline-agent' });
    const created = await fetch(`${api.url}/api/v1/external/webhook-subscriptions`, {
      method: 'POST',
      headers: { Authorization: agent.auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ agent_name: 'Laptop agent', delivery: 'pull', events: ['booking.*'] }),
    });
    expect(created.status).toBe(201);
    const page = await browser.newPage();
    await page.goto(`${api.url}/portal`);
    await page.fill('input[name=api_key]', agent.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator('#subscriptions tr', { hasText: 'Laptop agent' });
    await row.filter({ hasText: 'pull: read by the agent' }).waitFor();
    await row.click();
    await page.locator('#detail-meta dd', { hasText: /^pull/ }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.fill('input[name=agent_name]', 'Laptop agent (renamed)');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#subscriptions tr', { hasText: 'Laptop agent (renamed)' }).waitFor();
    await page.close();
  }, 60_000);

  it('edits, disables and enables, filters the log, rotates the secret, recovers and deletes a subscription', async () => {
    const agent = await createAgentKey(env.ctx, { name: 'ops-agent' });
    const headers = { Authorization: agent.auth, 'Content-Type': 'application/json' };
    const created = await fetch(`${api.url}/api/v1/external/webhook-subscriptions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        agent_name: 'Payments sync',
        webhook_url: `${receiver.url}/pay`,
        events: ['payment.received'],
      }),
    });
    const { id, secret } = ((await created.json()) as { data: { id: string; secret: string } }).data;
    await fetch(`${api.url}/api/v1/external/webhooks/test`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ subscription_id: id }),
    });
    const link = (
      (await (
        await fetch(`${api.url}/api/v1/external/portal-sessions`, {
          method: 'POST',
          headers: { Authorization: agent.auth },
        })
      ).json()) as { data: { url: string } }
    ).data;

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (dialog) => {
      void dialog.accept();
    });
    await page.goto(link.url);
    await page.locator('#subscriptions tr', { hasText: 'Payments sync' }).click();
    await page.locator('#deliveries .badge.succeeded').waitFor();
    await page.getByTestId('status-filter').selectOption('failed');
    await page.locator('#deliveries', { hasText: 'No deliveries.' }).waitFor();
    await page.getByTestId('status-filter').selectOption('succeeded');
    await page.locator('#deliveries .badge.succeeded').waitFor();

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.fill('input[name=agent_name]', 'Payments sync v2');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('#detail-name', { hasText: 'Payments sync v2' }).waitFor();

    await page.getByTestId('toggle').filter({ hasText: 'Disable' }).click();
    await page.locator('#detail-state.disabled').waitFor();
    const disabled = await fetch(`${api.url}/api/v1/external/webhook-subscriptions/${id}`, { headers });
    expect(((await disabled.json()) as { data: { is_active: boolean } }).data.is_active).toBe(false);
    await page.getByTestId('toggle').filter({ hasText: 'Enable' }).click();
    await page.locator('#detail-state.active').waitFor();

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page
      .getByTestId('secret')
      .filter({ hasText: /^whsec_/ })
      .waitFor();
    expect(await page.getByTestId('secret').textContent()).not.toBe(secret);
    await page.getByRole('button', { name: 'I stored it' }).click();

    await page.getByRole('button', { name: 'Recover' }).click();
    await page.locator('#notice', { hasText: /Recovery rcv_\w+ queued/ }).waitFor();

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.locator('#subscriptions', { hasText: 'No subscriptions yet.' }).waitFor();
    expect((await fetch(`${api.url}/api/v1/external/webhook-subscriptions/${id}`, { headers })).status).toBe(404);
    await page.close();
  }, 60_000);
});
