import http from 'node:http';
import { signHostToken } from '@bellhop/auth';
import { publishToHost, sseFrameSplitter } from '@bellhop/realtime-bus';
import { createTestEnv, eventually, freePort, startServiceProcess, type TestEnv } from '@bellhop/testing';

const HOSTS = 100;
const CLIENTS_PER_HOST = 10;
const EVENTS_PER_SECOND = 200;
const SECONDS = 30;

let env: TestEnv;
let realtime: Awaited<ReturnType<typeof startServiceProcess>>;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const requests: http.ClientRequest[] = [];

beforeAll(async () => {
  env = await createTestEnv();
  const port = await freePort();
  realtime = await startServiceProcess('realtime', { ...env.processEnv, REALTIME_PORT: String(port) }, port);
});
afterAll(async () => {
  for (const req of requests) req.destroy();
  agent.destroy();
  await realtime.stop();
  await env.close();
});

/** A minimal SSE client: records the `seq` of every notification frame it reads. */
function connect(hostId: string, token: string, seen: Set<number>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${realtime.url}/api/v1/hosts/${hostId}/events?access_token=${token}`, { agent }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8').on(
        'data',
        sseFrameSplitter((frame) => {
          const seq = /"load_seq":(\d+)/.exec(frame);
          if (seq) seen.add(Number(seq[1]));
        }),
      );
      resolve();
    });
    req.on('error', reject);
    requests.push(req);
  });
}

describe('SSE under load', () => {
  it(`delivers every event to each of ${HOSTS * CLIENTS_PER_HOST} clients while ${EVENTS_PER_SECOND} events/s flow for ${SECONDS} s`, async () => {
    const clients: { hostIndex: number; seen: Set<number> }[] = [];
    for (let h = 0; h < HOSTS; h++) {
      const token = await signHostToken(env.config.JWT_SECRET, `hst_load${h}`, 600);
      for (let c = 0; c < CLIENTS_PER_HOST; c++) {
        const seen = new Set<number>();
        clients.push({ hostIndex: h, seen });
        await connect(`hst_load${h}`, token, seen);
      }
    }
    const bus = { prefix: env.config.QUEUE_PREFIX, historyLength: env.config.SSE_HISTORY };
    const expected: Set<number>[] = Array.from({ length: HOSTS }, () => new Set());
    const total = EVENTS_PER_SECOND * SECONDS;
    const started = Date.now();
    for (let seq = 0; seq < total; seq++) {
      const hostIndex = seq % HOSTS;
      expected[hostIndex].add(seq);
      await publishToHost(env.ctx.redis, bus, `hst_load${hostIndex}`, 'notification', { load_seq: seq });
      const due = started + ((seq + 1) / EVENTS_PER_SECOND) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    await eventually(
      () => {
        const short = clients.filter((c) => c.seen.size < expected[c.hostIndex].size);
        if (short.length) throw new Error(`${short.length} clients still missing events`);
      },
      30_000,
      200,
    );
    for (const client of clients)
      expect([...client.seen].sort((a, b) => a - b)).toEqual([...expected[client.hostIndex]]);
  }, 120_000);
});
