import { createSubscription } from '@bellhop/domain';
import {
  createAgentKey,
  createTestEnv,
  eventually,
  freePort,
  startReceiver,
  startServiceProcess,
  type Receiver,
  type TestEnv,
} from '@bellhop/testing';

/** A span as OTLP/HTTP JSON carries it, with its resource's service name. */
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  service: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

type Service = Awaited<ReturnType<typeof startServiceProcess>>;
let env: TestEnv;
let collector: Receiver;
let receiver: Receiver;
let api: Service;
let worker: Service;
let auth: string;

beforeAll(async () => {
  collector = await startReceiver(() => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }));
  receiver = await startReceiver();
  env = await createTestEnv();
  const agent = await createAgentKey(env.ctx);
  auth = agent.auth;
  await createSubscription(env.ctx, agent.agentId, {
    agent_name: 'traced',
    webhook_url: `${receiver.url}/hook`,
    events: ['booking.updated'],
  });
  // Both services as their own processes, as deployed, each exporting its spans to the loopback collector.
  const traced = { ...env.processEnv, OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, OTEL_BSP_SCHEDULE_DELAY: '100' };
  // One after the other: on a busy machine two cold starts at once can outlast a start's own wait.
  const apiPort = await freePort();
  api = await startServiceProcess('api', { ...traced, API_PORT: String(apiPort) }, apiPort);
  const workerPort = await freePort();
  worker = await startServiceProcess('delivery-worker', { ...traced, WORKER_PORT: String(workerPort) }, workerPort);
}, 120_000);
afterAll(async () => {
  await Promise.all([api?.stop('SIGTERM'), worker?.stop('SIGTERM')]);
  await env.close();
  await Promise.all([collector.close(), receiver.close()]);
}, 60_000);

function exportedSpans(): ExportedSpan[] {
  return collector.requests
    .filter((req) => req.path === '/v1/traces')
    .flatMap((req) => {
      const { resourceSpans } = JSON.parse(req.body) as {
        resourceSpans: {
          resource: { attributes: ExportedSpan['attributes'] };
          scopeSpans: { spans: ExportedSpan[] }[];
        }[];
      };
      return resourceSpans.flatMap(({ resource, scopeSpans }) => {
        const service = String(resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue);
        return scopeSpans.flatMap(({ spans }) =>
          spans.map((span) => ({ ...span, service, parentSpanId: span.parentSpanId || undefined })),
        );
      });
    });
}

/** The request, fan-out and attempt spans of one trace, once all three were exported. */
async function spansOf(traceId: string) {
  return eventually(
    () => {
      const spans = exportedSpans().filter((span) => span.traceId === traceId);
      const [requestSpan, fanOut, attempt] = [
        spans.find((s) => s.kind === SERVER),
        spans.find((s) => s.name === 'fan-out'),
        spans.find((s) => s.name === 'webhook attempt'),
      ];
      if (!requestSpan || !fanOut || !attempt) throw new Error(`spans so far: ${spans.map((s) => s.name).join(', ')}`);
      return { requestSpan, fanOut, attempt };
    },
    20_000,
    100,
  );
}

async function postEvent(headers: Record<string, string>, n: number) {
  const res = await fetch(`${api.url}/api/v1/external/events`, {
    method: 'POST',
    headers: { Authorization: auth, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ type: 'booking.updated', data: { n } }),
  });
  expect(res.status).toBe(202);
  const { data } = (await res.json()) as { data: { event_id: string } };
  const [webhook] = (await receiver.waitForCount(n, 30_000)).slice(n - 1);
  const [version, traceId, spanId, flags] = String(webhook.headers.traceparent).split('-');
  expect({ version, flags }).toEqual({ version: '00', flags: '01' });
  return { eventId: data.event_id, webhook: { traceId, spanId }, tracestate: webhook.headers.tracestate };
}

describe('W3C trace context from POST /events to the webhook, spans over OTLP', () => {
  const caller = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

  it("continues the caller's trace: the webhook has its trace id under a new parent, and the request, fan-out and attempt spans link up", async () => {
    const { eventId, webhook, tracestate } = await postEvent(
      { traceparent: `00-${caller.traceId}-${caller.spanId}-01`, tracestate: 'congo=t61rcWkgMzE' },
      1,
    );
    expect(webhook.traceId).toBe(caller.traceId);
    expect(webhook.spanId).not.toBe(caller.spanId);
    expect(tracestate).toBe('congo=t61rcWkgMzE');

    const { requestSpan, fanOut, attempt } = await spansOf(caller.traceId);
    expect(requestSpan).toMatchObject({
      name: 'POST /api/v1/external/events',
      parentSpanId: caller.spanId,
      service: 'bellhop-api',
    });
    expect(fanOut).toMatchObject({
      kind: CONSUMER,
      parentSpanId: requestSpan.spanId,
      service: 'bellhop-delivery-worker',
    });
    expect(fanOut.attributes).toContainEqual({ key: 'bellhop.event.id', value: { stringValue: eventId } });
    // The receiver's parent is the attempt's own span.
    expect(attempt).toMatchObject({
      kind: CLIENT,
      parentSpanId: requestSpan.spanId,
      spanId: webhook.spanId,
      service: 'bellhop-delivery-worker',
    });
    expect(attempt.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 200 } });
    const event = await env.ctx.db.event.findUniqueOrThrow({ where: { id: eventId } });
    expect(event).toMatchObject({
      traceparent: `00-${caller.traceId}-${requestSpan.spanId}-01`,
      tracestate: 'congo=t61rcWkgMzE',
    });
  });

  it('an invalid traceparent is ignored, not refused: the request starts a fresh trace that reaches the webhook', async () => {
    const invalid = `00-${caller.traceId.toUpperCase()}-${caller.spanId}-01`;
    const { webhook, tracestate } = await postEvent({ traceparent: invalid, tracestate: 'congo=t61rcWkgMzE' }, 2);
    expect(webhook.traceId).not.toBe(caller.traceId);
    expect(tracestate).toBeUndefined(); // a tracestate beside an invalid traceparent is dropped with it
    const { requestSpan, attempt } = await spansOf(webhook.traceId);
    expect(requestSpan.parentSpanId).toBeUndefined();
    expect(attempt.parentSpanId).toBe(requestSpan.spanId);
  });
});
