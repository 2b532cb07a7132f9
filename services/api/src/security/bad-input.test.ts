import type { Server } from 'node:http';
import request from 'supertest';
import { ensureEventTypes } from '@bellhop/domain';
import { createTestEnv, type TestEnv } from '@bellhop/testing';
import { createApp } from '../app';
import { apiRoutes } from '../openapi';
import { HOSTILE_URL_VALUES, hostileBodies, malformedBodies } from './__tests__/malformed-bodies';
import {
  callers,
  concretePath,
  inboundConnections,
  legitimateAuth,
  legitimateRequest,
  pathParams,
  queryParams,
  tableCounts,
  type ApiRoute,
  type Callers,
  type InboundConnections,
} from './__tests__/route-fixtures';

let env: TestEnv;
let server: Server;
let who: Callers;
let inbound: InboundConnections;
beforeAll(async () => {
  env = await createTestEnv({ RATE_LIMIT_SCALE: '100' }); // thousands of requests with one key
  server = createApp({ ctx: env.ctx }).listen(0, '127.0.0.1'); // one server for a thousand requests
  who = await callers(env);
  inbound = await inboundConnections(env, who.host.hostId);
  await ensureEventTypes(env.ctx.db); // the catalog seeds itself lazily; seed it before counting rows
});
afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await env.close();
});

const isChannel = (r: ApiRoute) => r.auth.includes('basic') || r.auth.includes('signature');
const withBody = () => apiRoutes.routes.filter((r) => ['post', 'put', 'patch'].includes(r.method));

/** A legitimate caller's request to the route, with these path parameters and this query string. */
function call(route: ApiRoute, params: Record<string, string> = {}, query = '') {
  const legit = legitimateRequest(route, who, inbound, '', params);
  return request(server)[route.method](`${legit.path}${query}`).set(legit.headers);
}

/** Sends the body's bytes as they are (superagent would re-serialise them), signed where the route wants it. */
function send(route: ApiRoute, body: string) {
  const legit = legitimateRequest(route, who, inbound, body);
  return request(server)
    [route.method](legit.path)
    .set(legit.headers)
    .set('Content-Type', 'application/json')
    .serialize((b: unknown) => b as string)
    .send(body);
}

/** The problem with a refusal that should have been `code` naming `field`, if any. */
function wrongRefusal(res: request.Response, code: string, field: string): string | undefined {
  const ok =
    res.status === 400 &&
    res.body?.success === false &&
    res.body.error.code === code &&
    res.body.error.details?.length === 1 &&
    res.body.error.details[0].field === field;
  return ok ? undefined : `→ ${res.status} ${JSON.stringify(res.body).slice(0, 240)}`;
}

describe('bad-input corpus', () => {
  it('refuses every malformed request with a clear 4xx and writes nothing', async () => {
    const before = await tableCounts(env);
    const problems: string[] = [];
    let sent = 0;
    for (const route of withBody().filter((r) => !isChannel(r))) {
      const auth = legitimateAuth(route, who);
      for (const bad of malformedBodies(route)) {
        const req = request(server)
          [route.method](concretePath(route, who.host.hostId))
          .set('Content-Type', bad.contentType);
        if (auth) req.set('Authorization', auth);
        const res = await req.serialize((body: unknown) => body as string).send(bad.body);
        sent++;
        const where = `${route.method.toUpperCase()} ${route.path} [${bad.label}] → ${res.status}`;
        if (res.status >= 500) {
          problems.push(`${where} ${JSON.stringify(res.body).slice(0, 200)}`);
          continue;
        }
        if (res.status < 400) {
          if (bad.label !== 'empty object') problems.push(`${where} accepted`);
          continue;
        }
        if (res.body?.success !== false || typeof res.body.error?.code !== 'string' || !res.body.error.message)
          problems.push(`${where} not a JSON error`);
        if (
          res.body.error?.code === 'validation_error' &&
          !(Array.isArray(res.body.error.details) && res.body.error.details.every((d: { field?: string }) => d.field))
        )
          problems.push(`${where} does not name the field`);
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(200);
    expect(await tableCounts(env)).toEqual(before);
  }, 180_000); // hundreds of requests: slow only on a busy machine

  it('refuses deep nesting, NUL and lone surrogates in every body, channels included, naming the JSON path', async () => {
    const before = await tableCounts(env);
    const problems: string[] = [];
    let sent = 0;
    for (const route of withBody()) {
      for (const bad of hostileBodies(route)) {
        const wrong = wrongRefusal(await send(route, bad.body), bad.code, bad.field);
        sent++;
        if (wrong) problems.push(`${route.method.toUpperCase()} ${route.path} [${bad.label}] ${wrong}`);
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(300);
    expect(await tableCounts(env)).toEqual(before);
  }, 180_000); // hundreds of requests: slow only on a busy machine

  it('refuses control characters and undecodable percent-encodings in every path and query parameter, naming it', async () => {
    const before = await tableCounts(env);
    const problems: string[] = [];
    let sent = 0;
    for (const route of apiRoutes.routes) {
      for (const value of HOSTILE_URL_VALUES) {
        const where = `${route.method.toUpperCase()} ${route.path} [${value}]`;
        for (const name of pathParams(route)) {
          const wrong = wrongRefusal(await call(route, { [name]: value }), 'invalid_path_parameter', name);
          sent++;
          if (wrong) problems.push(`${where} in :${name} ${wrong}`);
        }
        for (const name of queryParams(route)) {
          const wrong = wrongRefusal(
            await call(route, {}, `?limit=10&${name}=${value}`),
            'invalid_query_parameter',
            name,
          );
          sent++;
          if (wrong) problems.push(`${where} in ?${name} ${wrong}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(300);
    expect(await tableCounts(env)).toEqual(before);
  }, 180_000); // hundreds of requests: slow only on a busy machine

  it('answers 404 where a hostile segment stands where no route has a parameter', async () => {
    for (const path of [
      '/api/v1/external/%00/events',
      '/api/v1/external/webhook-subscriptions/x/%ED%A0%80',
      '/admin/queues/%00',
      '/docs/%E0%A4%A',
    ]) {
      const res = await request(server).get(path).set('Authorization', who.admin);
      expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'not_found']);
    }
  });

  it('never reflects an unsafe X-Request-Id and refuses huge idempotency keys', async () => {
    for (const value of ['<script>alert(1)</script>', 'a b c', 'x'.repeat(500), 'ünïcödé']) {
      const res = await request(server).get('/healthz').set('X-Request-Id', value);
      expect(res.headers['x-request-id']).toMatch(/^req_/);
    }
    const events = apiRoutes.routes.find((r) => r.method === 'post' && r.path === '/api/v1/external/events');
    if (events) {
      const res = await request(server)
        .post(events.path)
        .set('Authorization', who.agent.auth)
        .set('Idempotency-Key', 'k'.repeat(10_000))
        .send({ type: 'booking.updated', data: {} });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  });

  // Node's parser lets a header carry TAB and Latin-1 bytes, and Basic credentials decode to any bytes.
  it('keeps control characters in headers out of PostgreSQL: stored ones are validated, the others never reach a query', async () => {
    const before = await tableCounts(env);
    const event = (headers: Record<string, string>) =>
      request(server)
        .post('/api/v1/external/events')
        .set('Authorization', who.agent.auth)
        .set(headers)
        .send({ type: 'booking.updated', data: {} });
    for (const key of ['a\tb', 'caf\u00e9']) {
      const res = await event({ 'Idempotency-Key': key });
      expect([res.status, res.body.error?.details]).toEqual([
        400,
        [expect.objectContaining({ field: 'idempotency-key' })],
      ]);
    }
    expect(await tableCounts(env)).toEqual(before);
    const stored = await event({ 'X-Request-Id': 'req\tid\u00ff' });
    expect(stored.status).toBe(202);
    const row = await env.ctx.db.event.findUniqueOrThrow({
      where: { id: stored.body.data.event_id },
      select: { requestId: true },
    });
    expect(row.requestId).toMatch(/^req_[0-9a-f-]{36}$/);

    const hostaway = apiRoutes.routes.find((r) => r.auth.includes('basic'))!;
    const nulCredentials = `Basic ${Buffer.from(`${inbound.hostaway.login}\0:\0\x01`).toString('base64')}`;
    const basic = await request(server)
      .post(concretePath(hostaway, who.host.hostId, { connectionId: inbound.hostaway.id }))
      .set('Authorization', nulCredentials)
      .send({ object: 'reservation', event: 'reservation.created', accountId: 1, data: {} });
    expect([basic.status, basic.body.error?.code]).toEqual([401, 'unauthorized']);
    const hospitable = apiRoutes.routes.find((r) => r.auth.includes('signature'))!;
    const signed = await request(server)
      .post(concretePath(hospitable, who.host.hostId, { connectionId: inbound.hospitable.id }))
      .set('Signature', '\tsig\u00e9')
      .send({ id: 'x', action: 'reservation.created', data: {}, created: 'now', version: 'v2' });
    expect(signed.status).toBe(401);
  });
});
