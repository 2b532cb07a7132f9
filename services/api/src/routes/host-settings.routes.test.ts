import request from 'supertest';
import type { Express } from 'express';
import { createAgentKey, createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
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

const url = (hostId: string) => `/api/v1/hosts/${hostId}/settings`;

describe('host settings', () => {
  it('reads defaults, updates partially and keeps the rest', async () => {
    const host = await createHostWithToken(env.ctx);
    const initial = await request(app).get(url(host.hostId)).set('Authorization', host.auth);
    expect(initial.status).toBe(200);
    expect(initial.body.data).toEqual({
      auto_approve_bookings: false,
      notification_preferences: { email: true, sms: false, muted_types: [] },
    });
    const put = await request(app)
      .put(url(host.hostId))
      .set('Authorization', host.auth)
      .send({ auto_approve_bookings: true, notification_preferences: { muted_types: ['booking_update'] } });
    expect(put.status).toBe(200);
    expect(put.body.data).toEqual({
      auto_approve_bookings: true,
      notification_preferences: { email: true, sms: false, muted_types: ['booking_update'] },
    });
    await request(app)
      .put(url(host.hostId))
      .set('Authorization', host.auth)
      .send({ notification_preferences: { sms: true } });
    const after = await request(app).get(url(host.hostId)).set('Authorization', host.auth);
    expect(after.body.data).toEqual({
      auto_approve_bookings: true,
      notification_preferences: { email: true, sms: true, muted_types: ['booking_update'] },
    });
    expect((await env.ctx.db.host.findUniqueOrThrow({ where: { id: host.hostId } })).autoApproveBookings).toBe(true);
  });

  it('rejects bad values naming the field', async () => {
    const host = await createHostWithToken(env.ctx);
    for (const [body, field] of [
      [{ auto_approve_bookings: 'yes' }, 'auto_approve_bookings'],
      [{ notification_preferences: { muted_types: ['spam'] } }, 'notification_preferences.muted_types.0'],
      [{ colour: 'red' }, '(body)'],
    ] as const) {
      const res = await request(app).put(url(host.hostId)).set('Authorization', host.auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it("keeps hosts apart: another host's token and agent keys get 403", async () => {
    const a = await createHostWithToken(env.ctx);
    const b = await createHostWithToken(env.ctx);
    expect((await request(app).get(url(a.hostId)).set('Authorization', b.auth)).status).toBe(403);
    expect(
      (await request(app).put(url(a.hostId)).set('Authorization', b.auth).send({ auto_approve_bookings: true })).status,
    ).toBe(403);
    expect(
      (
        await request(app)
          .get(url(a.hostId))
          .set('Authorization', (await createAgentKey(env.ctx)).auth)
      ).status,
    ).toBe(403);
    expect((await request(app).get(url(a.hostId))).status).toBe(401);
    expect((await request(app).get(url(a.hostId)).set('Authorization', a.auth)).body.data.auto_approve_bookings).toBe(
      false,
    );
  });
});
