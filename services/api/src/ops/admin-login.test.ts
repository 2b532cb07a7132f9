import type { Express } from 'express';
import request from 'supertest';
import { adminAuth, createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
beforeAll(async () => {
  env = await createTestEnv({ AUTH_FAILURE_LIMIT: '3' });
  app = createApp({ ctx: env.ctx });
});
afterAll(async () => {
  await env.close();
});

let client = 0;
const from = () => `10.7.0.${++client}`;
const cookiesOf = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []);

async function signIn() {
  const res = await request(app).post('/admin/login').type('form').send({ token: env.config.ADMIN_TOKEN }).expect(303);
  expect(res.headers.location).toBe('/admin/queues');
  const cookies = cookiesOf(res);
  const session = cookies.find((c) => c.startsWith('bellhop_admin='))!;
  const csrf = cookies.find((c) => c.startsWith('XSRF-TOKEN='))!;
  return {
    session,
    csrf,
    cookie: [session, csrf].map((c) => c.split(';')[0]).join('; '),
    csrfToken: csrf.split(';')[0].slice('XSRF-TOKEN='.length),
  };
}

describe('operator sign-in', () => {
  it('turns ADMIN_TOKEN into an HttpOnly, SameSite=Strict, Secure session cookie for /admin that opens Bull Board', async () => {
    const form = await request(app).get('/admin/login').expect(200);
    expect(form.text).toContain('name="token"');
    expect(form.headers['content-security-policy']).toContain("default-src 'none'");
    const { session, csrf, cookie } = await signIn();
    expect(session).toMatch(
      /^bellhop_admin=bhas_[\w-]+; Path=\/admin; Max-Age=28800; SameSite=Strict; HttpOnly; Secure$/,
    );
    expect(csrf).toMatch(/^XSRF-TOKEN=[\w-]+; Path=\/admin; Max-Age=28800; SameSite=Strict; Secure$/); // readable: Bull Board echoes it
    const board = await request(app).get('/admin/queues').set('Cookie', cookie).expect(200);
    expect(board.text).toContain('Sign out');
    await request(app).get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    // Only the operator's pages take the cookie: the admin API still wants the bearer.
    await request(app).get('/api/v1/admin/inbound-receipts').set('Cookie', cookie).expect(401);
    await request(app).get('/api/v1/admin/inbound-receipts').set('Authorization', adminAuth(env.ctx)).expect(200);
  });

  it('sends a browser that is not signed in to the form, and answers scripts 401 JSON', async () => {
    const res = await request(app).get('/admin/queues').set('Accept', 'text/html,application/xhtml+xml').expect(303);
    expect(res.headers.location).toBe('/admin/login');
    await request(app).get('/admin/queues/api/queues').expect(401);
  });

  it('needs the CSRF token for writes made with the cookie', async () => {
    const { cookie, csrfToken } = await signIn();
    const refused = await request(app)
      .put('/admin/queues/api/queues/inbound/retry/failed')
      .set('Cookie', cookie)
      .expect(403);
    expect(refused.body.error.code).toBe('csrf_token_invalid');
    await request(app)
      .put('/admin/queues/api/queues/inbound/retry/failed')
      .set('Cookie', cookie)
      .set('X-XSRF-TOKEN', 'forged')
      .expect(403);
    await request(app)
      .put('/admin/queues/api/queues/inbound/retry/failed')
      .set('Cookie', cookie)
      .set('X-XSRF-TOKEN', csrfToken)
      .expect(200);
    // The board's read-only rule still holds for a signed-in operator.
    await request(app)
      .put('/admin/queues/api/queues/inbound/pause')
      .set('Cookie', cookie)
      .set('X-XSRF-TOKEN', csrfToken)
      .expect(403);
  });

  it('ends at /admin/logout (a form carrying the CSRF token)', async () => {
    const { cookie, csrfToken } = await signIn();
    const page = await request(app).get('/admin/logout').set('Cookie', cookie).expect(200);
    expect(page.text).toContain(`value="${csrfToken}"`);
    await request(app).post('/admin/logout').set('Cookie', cookie).type('form').send({}).expect(403);
    const out = await request(app)
      .post('/admin/logout')
      .set('Cookie', cookie)
      .type('form')
      .send({ csrf_token: csrfToken })
      .expect(303);
    expect(out.headers.location).toBe('/admin/login');
    expect(cookiesOf(out).join('\n')).toContain('bellhop_admin=; Path=/admin; Max-Age=0');
    await request(app).get('/admin/queues/api/queues').set('Cookie', cookie).expect(401);
  });

  it('counts wrong tokens toward the failed-authentication limit of the address', async () => {
    const ip = from();
    for (let i = 0; i < 4; i++) {
      const res = await request(app)
        .post('/admin/login')
        .set('X-Forwarded-For', ip)
        .type('form')
        .send({ token: `wrong-token-${i}-padding` })
        .expect(401);
      expect(res.text).toContain('Wrong admin token');
    }
    const blocked = await request(app)
      .post('/admin/login')
      .set('X-Forwarded-For', ip)
      .type('form')
      .send({ token: env.config.ADMIN_TOKEN })
      .expect(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await request(app)
      .get('/admin/queues/api/queues')
      .set('X-Forwarded-For', ip)
      .set('Authorization', adminAuth(env.ctx))
      .expect(429);
    await request(app)
      .post('/admin/login')
      .set('X-Forwarded-For', from())
      .type('form')
      .send({ token: env.config.ADMIN_TOKEN })
      .expect(303);
  });
});
