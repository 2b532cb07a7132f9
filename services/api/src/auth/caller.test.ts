import express from 'express';
import request from 'supertest';
import { revokeApiKey } from '@bellhop/domain';
import { errorHandler, sendData } from '@bellhop/http';
import { adminAuth, createAgent, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { allow } from './caller';

let env: TestEnv;
let app: express.Express;
beforeAll(async () => {
  env = await createTestEnv();
  app = express();
  app.get('/agent-only', allow(env.ctx, { agentScope: 'events:write' }), (req, res) => sendData(res, req.caller));
  app.get('/hosts/:hostId/thing', allow(env.ctx, { hostParam: 'hostId', admin: true }), (req, res) => sendData(res, req.caller));
  app.use(errorHandler(env.ctx.logger));
});
afterAll(async () => { await env.close(); });

describe('who may call', () => {
  it('refuses a missing or unknown key with 401', async () => {
    await request(app).get('/agent-only').expect(401);
    const res = await request(app).get('/agent-only').set('Authorization', 'Bearer bh_not_a_real_key_at_all_1234').expect(401);
    expect(res.body.error.code).toBe('unauthorized');
    await request(app).get('/agent-only').set('Authorization', 'Basic abc').expect(401);
  });

  it('admits a key with the scope and refuses it once revoked', async () => {
    const agent = await createAgent(env.ctx, ['events:write']);
    const ok = await request(app).get('/agent-only').set('Authorization', agent.auth).expect(200);
    expect(ok.body.data).toMatchObject({ kind: 'agent', keyId: agent.keyId });
    await revokeApiKey(env.ctx.db, agent.keyId);
    await request(app).get('/agent-only').set('Authorization', agent.auth).expect(401);
  });

  it('refuses a key without the scope with 403 naming it', async () => {
    const agent = await createAgent(env.ctx, ['webhooks:read']);
    const res = await request(app).get('/agent-only').set('Authorization', agent.auth).expect(403);
    expect(res.body.error.message).toContain('events:write');
  });

  it('lets a host reach only its own resources', async () => {
    const mine = await createHostWithToken(env.ctx);
    const other = await createHostWithToken(env.ctx);
    await request(app).get(`/hosts/${mine.hostId}/thing`).set('Authorization', mine.auth).expect(200);
    await request(app).get(`/hosts/${other.hostId}/thing`).set('Authorization', mine.auth).expect(403);
    await request(app).get('/agent-only').set('Authorization', mine.auth).expect(403);
    await request(app).get(`/hosts/${other.hostId}/thing`).set('Authorization', adminAuth(env.ctx)).expect(200);
  });

  it('refuses a forged host token with 401', async () => {
    const mine = await createHostWithToken(env.ctx);
    const [header, payload] = mine.token.split('.');
    await request(app).get(`/hosts/${mine.hostId}/thing`).set('Authorization', `Bearer ${header}.${payload}.AAAA`).expect(401);
  });
});
