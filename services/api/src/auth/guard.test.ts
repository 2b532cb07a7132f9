import express from 'express';
import request from 'supertest';
import { revokeApiKey } from '@bellhop/domain';
import { errorHandler, sendData } from '@bellhop/http';
import {
  adminAuth,
  createAgentKey,
  createHostWithToken,
  createPartnerKey,
  createTestEnv,
  type TestEnv,
} from '@bellhop/testing';
import { authenticate } from './authenticate';
import { mount, type GuardedRoute } from './guard';

let env: TestEnv;
let app: express.Express;
const agentOnly: GuardedRoute = { method: 'get', path: '/agent-only', auth: ['agent'], scope: 'events:write' };
const hostThing: GuardedRoute = {
  method: 'get',
  path: '/hosts/:hostId/thing',
  auth: ['agent', 'host', 'admin'],
  hostParam: 'hostId',
};
beforeAll(async () => {
  env = await createTestEnv({ AUTH_FAILURE_LIMIT: '5' });
  app = express();
  app.set('trust proxy', 'loopback');
  app.use(authenticate(env.ctx));
  const router = express.Router();
  mount(router, env.ctx, agentOnly, (req, res) => sendData(res, req.caller));
  mount(router, env.ctx, hostThing, (req, res) => sendData(res, req.caller));
  app.use(router);
  app.use(errorHandler(env.ctx.logger));
});
afterAll(async () => {
  await env.close();
});

// Each test speaks from its own client address, so failed-authentication counts stay apart.
let client = 0;
const from = () => `10.9.0.${++client}`;

describe('who may call', () => {
  it('refuses a missing or unknown key with 401', async () => {
    const ip = from();
    await request(app).get('/agent-only').set('X-Forwarded-For', ip).expect(401);
    const res = await request(app)
      .get('/agent-only')
      .set('X-Forwarded-For', ip)
      .set('Authorization', 'Bearer bh_not_a_real_key_at_all_1234')
      .expect(401);
    expect(res.body.error.code).toBe('unauthorized');
    await request(app).get('/agent-only').set('X-Forwarded-For', ip).set('Authorization', 'Basic abc').expect(401);
  });

  it('admits a key with the scope and refuses it once revoked', async () => {
    const agent = await createAgentKey(env.ctx, { scopes: ['events:write'] });
    const ok = await request(app).get('/agent-only').set('Authorization', agent.auth).expect(200);
    expect(ok.body.data).toMatchObject({
      kind: 'agent',
      keyId: agent.keyId,
      agent: { id: agent.agentId, kind: 'platform' },
    });
    await revokeApiKey(env.ctx.db, agent.keyId);
    await request(app).get('/agent-only').set('X-Forwarded-For', from()).set('Authorization', agent.auth).expect(401);
  });

  it('refuses a key without the scope with 403 naming it', async () => {
    const agent = await createAgentKey(env.ctx, { scopes: ['webhooks:read'] });
    const res = await request(app).get('/agent-only').set('Authorization', agent.auth).expect(403);
    expect(res.body.error.message).toContain('events:write');
  });

  it('lets a host reach only its own resources, and the operator any', async () => {
    const mine = await createHostWithToken(env.ctx);
    const other = await createHostWithToken(env.ctx);
    await request(app).get(`/hosts/${mine.hostId}/thing`).set('Authorization', mine.auth).expect(200);
    await request(app).get(`/hosts/${other.hostId}/thing`).set('Authorization', mine.auth).expect(403);
    await request(app).get('/agent-only').set('Authorization', mine.auth).expect(403);
    await request(app).get(`/hosts/${other.hostId}/thing`).set('Authorization', adminAuth(env.ctx)).expect(200);
  });

  it('answers a partner 404 for a host that did not grant it, exactly as for a host that does not exist', async () => {
    const granting = await createHostWithToken(env.ctx);
    const stranger = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx, [granting.hostId]);
    const platform = await createAgentKey(env.ctx);
    await request(app).get(`/hosts/${granting.hostId}/thing`).set('Authorization', partner.auth).expect(200);
    const hidden = await request(app)
      .get(`/hosts/${stranger.hostId}/thing`)
      .set('Authorization', partner.auth)
      .expect(404);
    const missing = await request(app)
      .get('/hosts/hst_does_not_exist/thing')
      .set('Authorization', partner.auth)
      .expect(404);
    expect(hidden.body).toEqual(missing.body);
    await request(app).get(`/hosts/${stranger.hostId}/thing`).set('Authorization', platform.auth).expect(200);
  });

  it('refuses a forged host token with 401', async () => {
    const mine = await createHostWithToken(env.ctx);
    const [header, payload] = mine.token.split('.');
    await request(app)
      .get(`/hosts/${mine.hostId}/thing`)
      .set('X-Forwarded-For', from())
      .set('Authorization', `Bearer ${header}.${payload}.AAAA`)
      .expect(401);
  });
});

describe('failed authentications', () => {
  it('are limited per client address: past AUTH_FAILURE_LIMIT a minute, 429 with Retry-After, and no credential lookup', async () => {
    const ip = from();
    const lookups = jest.spyOn(env.ctx.db.apiKey, 'findUnique');
    try {
      for (let i = 0; i < 6; i++) {
        await request(app)
          .get('/agent-only')
          .set('X-Forwarded-For', ip)
          .set('Authorization', `Bearer bh_made_up_key_number_${i}_padding`)
          .expect(401);
      }
      expect(lookups).toHaveBeenCalledTimes(6);
      const blocked = await request(app)
        .get('/agent-only')
        .set('X-Forwarded-For', ip)
        .set('Authorization', 'Bearer bh_made_up_key_number_7_padding')
        .expect(429);
      expect(blocked.body.error.code).toBe('too_many_failed_authentications');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(lookups).toHaveBeenCalledTimes(6);
      // Another address is unaffected, and so is a caller with no credential at all.
      const agent = await createAgentKey(env.ctx, { scopes: ['events:write'] });
      await request(app).get('/agent-only').set('X-Forwarded-For', from()).set('Authorization', agent.auth).expect(200);
      await request(app).get('/agent-only').set('X-Forwarded-For', ip).expect(401);
    } finally {
      lookups.mockRestore();
    }
  });

  it('remember an unknown key, so repeating it costs no database lookup', async () => {
    const ip = from();
    const lookups = jest.spyOn(env.ctx.db.apiKey, 'findUnique');
    try {
      for (let i = 0; i < 3; i++) {
        await request(app)
          .get('/agent-only')
          .set('X-Forwarded-For', ip)
          .set('Authorization', 'Bearer bh_the_same_made_up_key_padding')
          .expect(401);
      }
      expect(lookups).toHaveBeenCalledTimes(1);
    } finally {
      lookups.mockRestore();
    }
  });
});
