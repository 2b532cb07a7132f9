import type { Express } from 'express';
import request from 'supertest';
import { issuePortalLink, revokeApiKey } from '@bellhop/domain';
import { createAgentKey, createHostWithToken, createTestEnv, deleteKeys, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
beforeAll(async () => {
  env = await createTestEnv({
    AUTH_FAILURE_LIMIT: '3',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  });
  app = createApp({ ctx: env.ctx });
});
afterAll(async () => {
  await env.close();
});

let client = 0;
const from = () => `10.8.0.${++client}`;
const newSubscription = (name: string) => ({
  agent_name: name,
  webhook_url: 'http://127.0.0.1:9/hook',
  events: ['booking.*'],
});

/** A portal link from the key, exchanged for a session: the cookie and the CSRF token the page would hold. */
async function signIn(auth: string) {
  const link = await request(app).post('/api/v1/external/portal-sessions').set('Authorization', auth).expect(201);
  const token = new URL(link.body.data.url).hash.replace('#token=', '');
  const session = await request(app).post('/portal/session').send({ link_token: token }).expect(201);
  const cookie = String(session.headers['set-cookie']).split(';')[0];
  return {
    link: link.body.data as { url: string; expires_at: string },
    token,
    cookie,
    csrf: session.body.data.csrf_token as string,
    setCookie: String(session.headers['set-cookie']),
  };
}

describe('portal links', () => {
  it('sign in once, within PORTAL_LINK_TTL, to a 1 h HttpOnly SameSite=Strict cookie scoped to /portal', async () => {
    const agent = await createAgentKey(env.ctx);
    const before = Date.now();
    const { link, token, setCookie } = await signIn(agent.auth);
    expect(link.url).toMatch(new RegExp(`^${env.config.PUBLIC_API_URL}/portal#token=[\\w-]+\\.[\\w-]+\\.[\\w-]+$`));
    expect(new Date(link.expires_at).getTime()).toBeGreaterThanOrEqual(before + env.config.PORTAL_LINK_TTL - 1000);
    expect(setCookie).toMatch(
      /^bellhop_portal=bhps_[\w-]+; Path=\/portal; Max-Age=3600; SameSite=Strict; HttpOnly; Secure$/,
    );
    const again = await request(app)
      .post('/portal/session')
      .set('X-Forwarded-For', from())
      .send({ link_token: token })
      .expect(401);
    expect(again.body.error.message).toContain('used or expired');
  });

  it('are refused once expired, forged, or when they are host tokens', async () => {
    const agent = await createAgentKey(env.ctx);
    const expired = await issuePortalLink(env.config.JWT_SECRET, agent.keyId, -2000);
    await request(app)
      .post('/portal/session')
      .set('X-Forwarded-For', from())
      .send({ link_token: expired.token })
      .expect(401);
    const forged = await issuePortalLink('another-secret-of-32-characters!', agent.keyId, 60_000);
    await request(app)
      .post('/portal/session')
      .set('X-Forwarded-For', from())
      .send({ link_token: forged.token })
      .expect(401);
    const host = await createHostWithToken(env.ctx);
    await request(app)
      .post('/portal/session')
      .set('X-Forwarded-For', from())
      .send({ link_token: host.token })
      .expect(401);
  });

  it('create nothing until used, and are no credential for the API', async () => {
    const agent = await createAgentKey(env.ctx);
    const before = await env.ctx.db.webSession.count();
    const link = await request(app)
      .post('/api/v1/external/portal-sessions')
      .set('Authorization', agent.auth)
      .send({})
      .expect(201);
    expect(await env.ctx.db.webSession.count()).toBe(before);
    const token = new URL(link.body.data.url).hash.slice('#token='.length);
    await request(app)
      .get('/api/v1/whoami')
      .set('X-Forwarded-For', from())
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    await request(app)
      .post('/api/v1/external/portal-sessions')
      .set('Authorization', agent.auth)
      .send({ scopes: ['x'] })
      .expect(400);
  });

  it('need a key: another credential or none gets 401/403', async () => {
    await request(app).post('/api/v1/external/portal-sessions').expect(401);
    await request(app)
      .post('/api/v1/external/portal-sessions')
      .set('Authorization', `Bearer ${env.config.ADMIN_TOKEN}`)
      .expect(403);
  });
});

describe('a portal session', () => {
  it('acts as its key through /portal/api, and only there: writes need the CSRF token', async () => {
    const agent = await createAgentKey(env.ctx);
    const { cookie, csrf } = await signIn(agent.auth);
    const noCsrf = await request(app)
      .post('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .send(newSubscription('no csrf'))
      .expect(403);
    expect(noCsrf.body.error.code).toBe('csrf_token_invalid');
    await request(app)
      .post('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', 'forged')
      .send(newSubscription('forged'))
      .expect(403);
    expect(await env.ctx.db.webhookSubscription.count({ where: { ownerAgentId: agent.agentId } })).toBe(0);
    const created = await request(app)
      .post('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send(newSubscription('mine'))
      .expect(201);
    expect(created.body.data.secret).toMatch(/^whsec_/);
    const listed = await request(app)
      .get('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .expect(200);
    expect(listed.body.data.items.map((s: { id: string }) => s.id)).toEqual([created.body.data.id]);
    // The cookie is no credential for the API's own paths, and a bearer still works there.
    await request(app).get('/api/v1/external/webhook-subscriptions').set('Cookie', cookie).expect(401);
    await request(app).get('/api/v1/external/webhook-subscriptions').set('Authorization', agent.auth).expect(200);
    const me = await request(app).get('/portal/session').set('Cookie', cookie).expect(200);
    expect(me.body.data).toMatchObject({
      csrf_token: csrf,
      key: { id: agent.keyId },
      agent: { id: agent.agentId, kind: 'platform' },
    });
  });

  it("of agent A never sees agent B's subscriptions", async () => {
    const a = await createAgentKey(env.ctx);
    const b = await createAgentKey(env.ctx);
    const theirs = await request(app)
      .post('/api/v1/external/webhook-subscriptions')
      .set('Authorization', b.auth)
      .send(newSubscription('b'))
      .expect(201);
    const { cookie, csrf } = await signIn(a.auth);
    const list = await request(app)
      .get('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .expect(200);
    expect(list.body.data.items).toEqual([]);
    const id = theirs.body.data.id as string;
    await request(app).get(`/portal/api/v1/external/webhook-subscriptions/${id}`).set('Cookie', cookie).expect(404);
    await request(app)
      .get(`/portal/api/v1/external/webhook-subscriptions/${id}/deliveries`)
      .set('Cookie', cookie)
      .expect(404);
    await request(app)
      .delete(`/portal/api/v1/external/webhook-subscriptions/${id}`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .expect(404);
    await request(app)
      .post('/portal/api/v1/external/webhooks/test')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send({ subscription_id: id })
      .expect(404);
    await request(app).get(`/api/v1/external/webhook-subscriptions/${id}`).set('Authorization', b.auth).expect(200);
  });

  it('has exactly the scopes of its key', async () => {
    const reader = await createAgentKey(env.ctx, { scopes: ['webhooks:read'] });
    const { cookie, csrf } = await signIn(reader.auth);
    await request(app).get('/portal/api/v1/external/webhook-subscriptions').set('Cookie', cookie).expect(200);
    const res = await request(app)
      .post('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', csrf)
      .send(newSubscription('x'))
      .expect(403);
    expect(res.body.error.message).toContain('webhooks:write');
  });

  it('ends when its key is revoked, or on sign-out', async () => {
    const agent = await createAgentKey(env.ctx);
    const first = await signIn(agent.auth);
    const second = await signIn(agent.auth);
    await request(app).delete('/portal/session').set('Cookie', first.cookie).expect(403);
    const out = await request(app)
      .delete('/portal/session')
      .set('Cookie', first.cookie)
      .set('X-CSRF-Token', first.csrf)
      .expect(200);
    expect(String(out.headers['set-cookie'])).toContain('bellhop_portal=; Path=/portal; Max-Age=0');
    await request(app).get('/portal/api/v1/external/webhook-subscriptions').set('Cookie', first.cookie).expect(401);
    await request(app).get('/portal/api/v1/external/webhook-subscriptions').set('Cookie', second.cookie).expect(200);
    await revokeApiKey(env.ctx.db, agent.keyId);
    await request(app).get('/portal/api/v1/external/webhook-subscriptions').set('Cookie', second.cookie).expect(401);
    await request(app).get('/portal/session').set('Cookie', second.cookie).expect(401);
  });
});

describe('sessions and Redis', () => {
  it('outlive a Redis wipe: Postgres holds them', async () => {
    const agent = await createAgentKey(env.ctx);
    const { cookie } = await signIn(agent.auth);
    await deleteKeys(env.config.REDIS_URL, env.config.QUEUE_PREFIX);
    await request(app).get('/portal/api/v1/external/webhook-subscriptions').set('Cookie', cookie).expect(200);
  });

  it('leave a request with a bearer header to the bearer: no CSRF asked, and a bad bearer is not rescued by the cookie', async () => {
    const agent = await createAgentKey(env.ctx);
    const { cookie } = await signIn(agent.auth);
    await request(app)
      .post('/portal/api/v1/external/webhook-subscriptions')
      .set('Cookie', cookie)
      .set('Authorization', agent.auth)
      .send(newSubscription('script'))
      .expect(201);
    await request(app)
      .get('/portal/api/v1/external/webhook-subscriptions')
      .set('X-Forwarded-For', from())
      .set('Cookie', cookie)
      .set('Authorization', 'Bearer bh_not_a_real_key_at_all_padding')
      .expect(401);
  });
});

describe('signing in with a pasted key', () => {
  it('gives the same session; wrong keys count toward the failed-authentication limit of the address', async () => {
    const agent = await createAgentKey(env.ctx);
    const ok = await request(app).post('/portal/session').send({ api_key: agent.token }).expect(201);
    expect(ok.body.data.key.id).toBe(agent.keyId);
    const ip = from();
    for (let i = 0; i < 4; i++)
      await request(app)
        .post('/portal/session')
        .set('X-Forwarded-For', ip)
        .send({ api_key: `bh_wrong_key_number_${i}_padding` })
        .expect(401);
    const blocked = await request(app)
      .post('/portal/session')
      .set('X-Forwarded-For', ip)
      .send({ api_key: agent.token })
      .expect(429);
    expect(blocked.body.error.code).toBe('too_many_failed_authentications');
    await request(app).get('/api/v1/whoami').set('X-Forwarded-For', ip).set('Authorization', agent.auth).expect(429);
  });

  it('refuses a body without exactly one credential, naming the field', async () => {
    const res = await request(app).post('/portal/session').send({}).expect(400);
    expect(JSON.stringify(res.body.error)).toContain('link_token');
    await request(app).post('/portal/session').send({ api_key: 'x', link_token: 'y' }).expect(400);
    await request(app).post('/portal/session').send({ api_key: 'x', extra: 1 }).expect(400);
    await request(app).post('/portal/session').type('form').send('api_key=x').expect(415);
  });
});

describe('the portal page', () => {
  it('is served with a same-origin-only policy and loads only its own files', async () => {
    const page = await request(app).get('/portal').expect(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    for (const asset of ['/portal/portal.js', '/portal/portal.css']) {
      expect(page.text).toContain(asset);
      await request(app).get(asset).expect(200);
    }
  });
});
