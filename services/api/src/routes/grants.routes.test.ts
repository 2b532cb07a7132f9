import type { Express } from 'express';
import request from 'supertest';
import {
  adminAuth,
  createAgentKey,
  createHostWithToken,
  createPartnerKey,
  createTestEnv,
  type TestEnv,
} from '@bellhop/testing';
import { createApp } from '../app';

let env: TestEnv;
let app: Express;
beforeAll(async () => {
  env = await createTestEnv();
  app = createApp({ ctx: env.ctx });
});
afterAll(async () => {
  await env.close();
});

const grantPath = (hostId: string, agentId: string) => `/api/v1/hosts/${hostId}/agents/${agentId}`;

describe('host grants', () => {
  it('a host grants, lists and revokes a partner; the partner sees the host, then no longer does', async () => {
    const host = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx, [], { name: 'pricing-bot' });
    const hostsOfPartner = async () =>
      (await request(app).get('/api/v1/external/hosts').set('Authorization', partner.auth).expect(200)).body.data.items;
    expect(await hostsOfPartner()).toEqual([]);

    const granted = await request(app)
      .put(grantPath(host.hostId, partner.agentId))
      .set('Authorization', host.auth)
      .expect(200);
    expect(granted.body.data).toEqual({
      host_id: host.hostId,
      agent: { id: partner.agentId, name: 'pricing-bot', kind: 'partner' },
      granted_at: expect.any(String),
    });
    const again = await request(app)
      .put(grantPath(host.hostId, partner.agentId))
      .set('Authorization', host.auth)
      .expect(200);
    expect(again.body.data.granted_at).toBe(granted.body.data.granted_at);

    const list = await request(app)
      .get(`/api/v1/hosts/${host.hostId}/agents`)
      .set('Authorization', host.auth)
      .expect(200);
    expect(list.body.data).toEqual({ items: [granted.body.data], next_cursor: null });
    expect(await hostsOfPartner()).toEqual([
      { id: host.hostId, name: host.host.name, granted_at: granted.body.data.granted_at },
    ]);

    await request(app).delete(grantPath(host.hostId, partner.agentId)).set('Authorization', host.auth).expect(204);
    await request(app).delete(grantPath(host.hostId, partner.agentId)).set('Authorization', host.auth).expect(404);
    expect(await hostsOfPartner()).toEqual([]);
  });

  it('only the host itself or the operator grants; another host gets 403, an agent 403; unknown agents are 404', async () => {
    const host = await createHostWithToken(env.ctx);
    const other = await createHostWithToken(env.ctx);
    const partner = await createPartnerKey(env.ctx);
    await request(app).put(grantPath(host.hostId, partner.agentId)).set('Authorization', other.auth).expect(403);
    await request(app).put(grantPath(host.hostId, partner.agentId)).set('Authorization', partner.auth).expect(403);
    await request(app).get(`/api/v1/hosts/${host.hostId}/agents`).set('Authorization', other.auth).expect(403);
    await request(app).put(grantPath(host.hostId, 'agt_does_not_exist')).set('Authorization', host.auth).expect(404);
    await request(app)
      .put(grantPath('hst_does_not_exist', partner.agentId))
      .set('Authorization', adminAuth(env.ctx))
      .expect(404);
    await request(app)
      .put(grantPath(host.hostId, partner.agentId))
      .set('Authorization', adminAuth(env.ctx))
      .expect(200);
    expect(await env.ctx.db.hostAgentGrant.count({ where: { agentId: partner.agentId } })).toBe(1);
  });

  it('pages the hosts of an agent; a platform agent acts for every host', async () => {
    const hosts = await Promise.all([1, 2, 3].map(() => createHostWithToken(env.ctx)));
    const partner = await createPartnerKey(
      env.ctx,
      hosts.map((h) => h.hostId),
    );
    const first = await request(app)
      .get('/api/v1/external/hosts?limit=2')
      .set('Authorization', partner.auth)
      .expect(200);
    const second = await request(app)
      .get(`/api/v1/external/hosts?limit=2&cursor=${first.body.data.next_cursor}`)
      .set('Authorization', partner.auth)
      .expect(200);
    expect([...first.body.data.items, ...second.body.data.items].map((h: { id: string }) => h.id)).toEqual(
      hosts.map((h) => h.hostId).sort(),
    );
    expect(second.body.data.next_cursor).toBeNull();
    const platform = await createAgentKey(env.ctx);
    const all = await request(app)
      .get('/api/v1/external/hosts?limit=100')
      .set('Authorization', platform.auth)
      .expect(200);
    expect(all.body.data.items.map((h: { id: string }) => h.id)).toEqual(
      expect.arrayContaining(hosts.map((h) => h.hostId)),
    );
    expect(all.body.data.items.every((h: { granted_at: null }) => h.granted_at === null)).toBe(true);
  });

  it('whoami names the agent behind a key, its kind and the key scopes', async () => {
    const partner = await createPartnerKey(env.ctx, [], { name: 'concierge', scopes: ['webhooks:read'] });
    const res = await request(app).get('/api/v1/whoami').set('Authorization', partner.auth).expect(200);
    expect(res.body.data).toMatchObject({
      kind: 'agent',
      keyId: partner.keyId,
      scopes: ['webhooks:read'],
      agent: { id: partner.agentId, name: 'concierge', kind: 'partner' },
    });
  });
});
