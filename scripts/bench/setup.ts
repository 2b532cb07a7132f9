import { createAgent, createApiKey } from '@bellhop/domain';
import { createPrismaClient } from '@bellhop/db';
import { ServiceProcess } from '../harness/processes';
import { WebhookReceiver } from '../harness/receiver';

const BASE = Number(process.env.BENCH_PORT_BASE ?? 3200);
export const PORTS = {
  api: BASE,
  realtime: BASE + 1,
  worker: BASE + 2,
  realtimePair: [BASE + 3, BASE + 4],
  /** The multiProcess scenario's own processes (the first of each role; the second is +1), receivers and Redis. */
  multiProcess: { api: BASE + 10, worker: BASE + 12, realtime: BASE + 14, receivers: BASE + 20, redis: BASE + 30 },
  downReceiver: BASE + 95,
  quietReceiver: BASE + 96,
  slowReceiver: BASE + 97,
  bareExpress: BASE + 98,
  receiver: BASE + 99,
  fleet: BASE + 500,
};

/** The real services on their own ports, a keep-alive receiver, and an agent key. */
export async function startBenchSystem(env: Record<string, string>) {
  const receiver = new WebhookReceiver(PORTS.receiver);
  const api = new ServiceProcess('api', { ...env, API_PORT: String(PORTS.api) }, PORTS.api);
  const worker = new ServiceProcess('worker', { ...env, WORKER_PORT: String(PORTS.worker) }, PORTS.worker);
  const realtime = new ServiceProcess('realtime', { ...env, REALTIME_PORT: String(PORTS.realtime) }, PORTS.realtime);
  const db = createPrismaClient(env.DATABASE_URL);
  await receiver.start();
  await Promise.all([api.start(), worker.start(), realtime.start()]);
  // The producer is the booking platform's own backend: a platform agent, acting for every host.
  const agent = await createAgent(db, { name: `bench-${Date.now()}`, kind: 'platform' });
  const token = (
    await createApiKey(db, {
      agentId: agent.id,
      name: agent.name,
      scopes: ['webhooks:write', 'webhooks:read', 'events:write'],
    })
  ).token;
  const apiUrl = `http://127.0.0.1:${PORTS.api}`;
  /**
   * Subscribes to the main receiver (`path` on it), or to another receiver's port: each port is an
   * endpoint of its own; `options` are further subscription fields. Returns the subscription's id.
   */
  const subscribe = async (
    events: string[],
    path = '/hook',
    port = PORTS.receiver,
    options: Record<string, unknown> = {},
  ): Promise<string> => {
    const res = await fetch(`${apiUrl}/api/v1/external/webhook-subscriptions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ agent_name: 'bench', webhook_url: `http://127.0.0.1:${port}${path}`, events, ...options }),
    });
    if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { data: { id: string } }).data.id;
  };
  const unsubscribe = async (id: string) => {
    const res = await fetch(`${apiUrl}/api/v1/external/webhook-subscriptions/${id}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`unsubscribe failed: ${res.status} ${await res.text()}`);
  };
  return {
    receiver,
    api,
    worker,
    realtime,
    db,
    token,
    apiUrl,
    subscribe,
    unsubscribe,
    async stop() {
      await Promise.allSettled([api.stop(), worker.stop(), realtime.stop(), receiver.stop()]);
      await db.$disconnect();
    },
  };
}

export type BenchSystem = Awaited<ReturnType<typeof startBenchSystem>>;
