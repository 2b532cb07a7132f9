import http from 'node:http';
import os from 'node:os';
import { ServiceProcess, sleep, type ServiceName } from '../harness/processes';
import { WebhookReceiver } from '../harness/receiver';
import { benchRedis, type BenchRedis } from './bench-redis';
import { runChild } from './children';
import { postgresBackendsOf, postgresServerProcesses, redisServersOn, startCpuMeter } from './cpu-meter';
import type { Row, Scale } from './scenarios';
import { PORTS, type BenchSystem } from './setup';
import { paced, percentile, round } from './stats';

type Env = Record<string, string>;
const TYPE = 'booking.created';
/** Receivers (endpoints of their own), each with a subscription to every event. */
const RECEIVERS = 3;
/** Live streams per host; every third host has them on both realtime processes, the others on one. */
const STREAMS_PER_HOST = 4;
/** Events posted before measuring, so each fresh process has run its code paths (and JIT) once. */
const WARM_UP_EVENTS = 300;
/** An idle PostgreSQL backend reports its row counts to pg_stat_database within 10 s (PGSTAT_IDLE_INTERVAL). */
const STATISTICS_FLUSH_MS = 11_000;
/** How long the run may take to deliver everything after the last event was posted. */
const DRAIN_TIMEOUT_MS = 180_000;

/** What live-clients.ts prints on "report". */
type LiveReport = {
  connections: {
    host: string;
    url: string;
    notifications: number;
    notificationCopies: number;
    updates: number;
    updateCopies: number;
  }[];
  p50: number;
  p99: number;
};

interface Topology {
  processes: Record<ServiceName, ServiceProcess[]>;
  stop(): Promise<void>;
}

/** `n` api, worker and realtime processes on the scenario's ports and Redis, each as deployed (default configuration). */
async function startTopology(env: Env, n: number): Promise<Topology> {
  const ports = PORTS.multiProcess;
  const of = (name: ServiceName, first: number, portVar: string) =>
    Array.from({ length: n }, (_, i) => new ServiceProcess(name, { ...env, [portVar]: String(first + i) }, first + i));
  const processes = {
    api: of('api', ports.api, 'API_PORT'),
    worker: of('worker', ports.worker, 'WORKER_PORT'),
    realtime: of('realtime', ports.realtime, 'REALTIME_PORT'),
  };
  const all = Object.values(processes).flat();
  const stop = async () => {
    await Promise.allSettled(all.map((p) => p.stop()));
  };
  try {
    await Promise.all(all.map((p) => p.start()));
  } catch (error) {
    await stop();
    throw error;
  }
  return { processes, stop };
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * POSTs one booking event for a host (its booking id as the Idempotency-Key); its event id, or
 * the status it got instead. A request whose connection failed is sent again, as a well-behaved
 * client would: a keep-alive connection the server closes as it is reused resets (ECONNRESET),
 * and the key makes a second copy of an event that did get through impossible.
 */
async function postEvent(apiUrl: string, token: string, hostId: string, bookingId: string): Promise<string | number> {
  const body = JSON.stringify({
    type: TYPE,
    host_id: hostId,
    booking_id: bookingId,
    data: { guest_name: 'Bench Guest', check_in: '2027-01-10', check_out: '2027-01-12', sent: Date.now() },
  });
  for (let attempt = 1; ; attempt++) {
    try {
      return await postOnce(apiUrl, token, body, bookingId);
    } catch (error) {
      if (attempt === 5) throw error;
      await sleep(100);
    }
  }
}

function postOnce(apiUrl: string, token: string, body: string, idempotencyKey: string): Promise<string | number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${apiUrl}/api/v1/external/events`,
      {
        method: 'POST',
        agent: keepAlive,
        headers: {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'Idempotency-Key': idempotencyKey,
        },
      },
      (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => {
            text += chunk;
          })
          .on('end', () =>
            resolve(
              res.statusCode === 202
                ? (JSON.parse(text) as { data: { event_id: string } }).data.event_id
                : (res.statusCode ?? 0),
            ),
          );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Which realtime process each of a host's streams goes to: every third host on both, the others on one. */
function livePlan(hosts: string[], urls: string[]) {
  return hosts.flatMap((host, h) =>
    Array.from({ length: STREAMS_PER_HOST }, (_, c) => ({
      url: urls[h % 3 === 0 ? c % urls.length : h % urls.length],
      host,
      streams: 1,
    })),
  );
}

/** Rows inserted, updated and deleted, and transactions committed, in the bench database so far (its own statistics). */
async function databaseActivity(s: BenchSystem) {
  const [row] = await s.db.$queryRawUnsafe<{ ins: bigint; upd: bigint; del: bigint; commits: bigint }[]>(
    'SELECT tup_inserted AS ins, tup_updated AS upd, tup_deleted AS del, xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()',
  );
  return {
    inserted: Number(row.ins),
    updated: Number(row.upd),
    deleted: Number(row.del),
    commits: Number(row.commits),
  };
}

interface RunResult {
  n: number;
  /** CPU µs per second of each part while the topology had nothing to do (streams open, no events). */
  idlePerSecond: Record<string, number>;
  events: number;
  refused: Record<string, number>;
  seconds: number;
  perSecond: number;
  cpuPerThousand: Record<string, number>;
  deliveries: { expected: number; received: number; duplicates: number; missing: number; p50: number; p99: number };
  live: { connections: number; expected: number; received: number; duplicates: number; missing: number };
  liveP50: number;
  liveP99: number;
  maxConnections: number;
  rowsPerEvent: { inserted: number; updated: number; deleted: number; commits: number };
  load: string;
}

/** Posts events through `topology`'s APIs (a warm-up first), waits for every delivery and live message, and counts them. */
async function runTopology(
  s: BenchSystem,
  scale: Scale,
  env: Env,
  redis: BenchRedis,
  receivers: WebhookReceiver[],
  hosts: string[],
  n: number,
): Promise<RunResult> {
  const topology = await startTopology({ ...env, ...redis.env }, n);
  const { api, worker, realtime } = topology.processes;
  const apiUrls = api.map((p) => `http://127.0.0.1:${p.port}`);
  const clients = runChild(
    'live-clients.ts',
    [
      JSON.stringify(
        livePlan(
          hosts,
          realtime.map((p) => `http://127.0.0.1:${p.port}`),
        ),
      ),
    ],
    env,
  );
  const tag = `bkg_mp${n}x_${Date.now()}`;
  try {
    const connections = Number((await clients.nextLine()).split(' ')[1]);
    const post = async (phase: string, i: number) => {
      const sentAt = performance.now();
      const host = hosts[i % hosts.length];
      const result = await postEvent(apiUrls[i % apiUrls.length], s.token, host, `${tag}_${phase}_${i}`);
      return { result, sentAt, host };
    };
    const warmUp = (await Promise.all(Array.from({ length: WARM_UP_EVENTS }, (_, i) => post('w', i)))).flatMap(
      ({ result }) => (typeof result === 'string' ? [result] : []),
    );
    while (receivers.some((r) => r.tally(warmUp).lost > 0)) await sleep(200);
    clients.send(`measure ${tag}_m_`);
    const parts = {
      api: () => api.map((p) => p.pid!),
      worker: () => worker.map((p) => p.pid!),
      realtime: () => realtime.map((p) => p.pid!),
      'postgres (bench db backends)': postgresBackendsOf(new URL(env.DATABASE_URL).pathname.slice(1)),
      'postgres server (shared, all databases)': postgresServerProcesses,
      redis: redisServersOn(redis.ports),
      'bench process (producer, receivers)': () => [process.pid],
      'live clients': () => [clients.child.pid!],
    };
    // The wait is also what the topology costs with nothing to do (heartbeats, polling, sweeps): measured from its second second.
    await sleep(1000);
    const idleMeter = startCpuMeter(parts);
    await sleep(STATISTICS_FLUSH_MS - 1000);
    const idlePerSecond = idleMeter.stop((STATISTICS_FLUSH_MS - 1000) / 1000);
    const dbBefore = await databaseActivity(s);
    const load = os.loadavg()[0];
    const meter = startCpuMeter(parts);
    const started = performance.now();
    const sentAt = new Map<string, number>();
    const perHost = new Map<string, number>();
    const refused: Record<string, number> = {};
    await paced(scale.multiProcessRate, scale.multiProcessEvents / scale.multiProcessRate, async (i) => {
      const {
        result,
        sentAt: at,
        host,
      } = await post('m', i).catch((error: NodeJS.ErrnoException) => ({
        result: error.code ?? error.message,
        sentAt: 0,
        host: '',
      }));
      if (typeof result === 'string' && at > 0) {
        sentAt.set(result, at);
        perHost.set(host, (perHost.get(host) ?? 0) + 1);
      } else refused[String(result)] = (refused[String(result)] ?? 0) + 1;
    });
    const ids = [...sentAt.keys()];
    const expectedLive = (host: string) => perHost.get(host) ?? 0;
    // A notification and a booking_update per event, on each of its host's streams.
    const expectedFrames = hosts.reduce((sum, host) => sum + 2 * STREAMS_PER_HOST * expectedLive(host), 0);
    const backendsOf = postgresBackendsOf(new URL(env.DATABASE_URL).pathname.slice(1));
    let maxConnections = backendsOf().length;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      maxConnections = Math.max(maxConnections, backendsOf().length);
      clients.send('progress');
      const frames = Number(await clients.nextLine());
      if ((frames >= expectedFrames && receivers.every((r) => r.tally(ids).lost === 0)) || Date.now() > deadline) break;
      await sleep(250);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuPerThousand = meter.stop(ids.length / 1000);
    await sleep(STATISTICS_FLUSH_MS);
    const dbAfter = await databaseActivity(s);
    clients.send('report');
    const report = JSON.parse(await clients.nextLine()) as LiveReport;

    const deliveryMs = receivers.flatMap((r) =>
      ids.filter((id) => r.firstSeenAt.has(id)).map((id) => r.firstSeenAt.get(id)! - sentAt.get(id)!),
    );
    const tallies = receivers.map((r) => r.tally(ids));
    let liveMissing = 0;
    let liveDuplicates = 0;
    let liveReceived = 0;
    for (const c of report.connections) {
      const expected = expectedLive(c.host);
      liveReceived += c.notifications + c.updates;
      liveDuplicates += c.notificationCopies - c.notifications + (c.updateCopies - c.updates);
      // Distinct ids away from the host's event count either way: missing ones, or (never seen) foreign ones.
      liveMissing += Math.abs(expected - c.notifications) + Math.abs(expected - c.updates);
    }
    const per = (key: keyof typeof dbBefore) => round((dbAfter[key] - dbBefore[key]) / ids.length, 2);
    return {
      n,
      idlePerSecond,
      events: ids.length,
      refused,
      seconds,
      perSecond: ids.length / seconds,
      cpuPerThousand,
      deliveries: {
        expected: ids.length * receivers.length,
        received: tallies.reduce((sum, t) => sum + t.received, 0),
        duplicates: tallies.reduce((sum, t) => sum + t.duplicates, 0),
        missing: tallies.reduce((sum, t) => sum + t.lost, 0),
        p50: percentile(deliveryMs, 50),
        p99: percentile(deliveryMs, 99),
      },
      live: {
        connections,
        expected: report.connections.reduce((sum, c) => sum + 2 * expectedLive(c.host), 0),
        received: liveReceived,
        duplicates: liveDuplicates,
        missing: liveMissing,
      },
      liveP50: report.p50,
      liveP99: report.p99,
      maxConnections,
      rowsPerEvent: {
        inserted: per('inserted'),
        updated: per('updated'),
        deleted: per('deleted'),
        commits: per('commits'),
      },
      load: `${round(load, 1)} → ${round(os.loadavg()[0], 1)}`,
    };
  } finally {
    clients.child.kill();
    await topology.stop();
  }
}

const seconds = (us: number) => round(us / 1e6, 2);
const totalOf = (cpu: Record<string, number>) => Object.values(cpu).reduce((a, b) => a + b, 0);
/** The processes a deployment runs (the bench's own producer and clients are the load, not Bellhop). */
const SERVICE_PARTS = ['api', 'worker', 'realtime', 'postgres (bench db backends)', 'redis'];
const serviceCpu = (cpu: Record<string, number>) => SERVICE_PARTS.reduce((sum, part) => sum + (cpu[part] ?? 0), 0);

function rowsOf(r: RunResult, scale: Scale): Row[] {
  const name = `${r.n}× (api, worker, realtime), ${RECEIVERS} subscriptions per event, live streams on ${r.n} realtime process${r.n > 1 ? 'es' : ''}`;
  const correct =
    r.deliveries.duplicates + r.deliveries.missing + r.live.duplicates + r.live.missing === 0 &&
    Object.keys(r.refused).length === 0;
  return [
    {
      scenario: name,
      figure: `end-to-end events/s (${r.events} ${TYPE} offered at ${scale.multiProcessRate}/s)`,
      value: round(r.perSecond),
      unit: '/s',
      reference: `${round(r.seconds)} s from the first post to the last delivery and live message; load average ${r.load}`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      figure: 'correctness: duplicates + missing (deliveries by webhook-id, live messages per connection)',
      value: r.deliveries.duplicates + r.deliveries.missing + r.live.duplicates + r.live.missing,
      unit: '',
      reference:
        `deliveries ${r.deliveries.received}/${r.deliveries.expected}, ${r.deliveries.duplicates} dup, ${r.deliveries.missing} missing · ` +
        `live ${r.live.received}/${r.live.expected} over ${r.live.connections} streams, ${r.live.duplicates} dup, ${r.live.missing} missing` +
        (Object.keys(r.refused).length ? ` · not accepted: ${JSON.stringify(r.refused)}` : ''),
      target: '0',
      met: correct,
    },
    {
      scenario: name,
      figure: 'CPU s per 1,000 events, Bellhop (api + worker + realtime + postgres + redis)',
      value: seconds(serviceCpu(r.cpuPerThousand)),
      unit: 's',
      reference: `${Object.entries(r.cpuPerThousand)
        .map(([part, us]) => `${part} ${seconds(us)}`)
        .join(' · ')} = ${seconds(totalOf(r.cpuPerThousand))} s in all`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      figure: 'idle CPU ms per second, Bellhop (streams open, no events)',
      value: round(serviceCpu(r.idlePerSecond) / 1000, 1),
      unit: 'ms/s',
      reference: SERVICE_PARTS.map((part) => `${part} ${round((r.idlePerSecond[part] ?? 0) / 1000, 1)}`).join(' · '),
      target: '',
      met: null,
    },
    {
      scenario: name,
      figure: 'event → delivery p99 (posted → received, every subscription)',
      value: round(r.deliveries.p99),
      unit: 'ms',
      reference: `p50 ${round(r.deliveries.p50)} ms`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      figure: 'event → live message p99 (posted → booking_update frame, every stream)',
      value: round(r.liveP99),
      unit: 'ms',
      reference: `p50 ${round(r.liveP50)} ms`,
      target: '',
      met: null,
    },
    {
      scenario: name,
      figure: 'Postgres rows written per event',
      value: round(r.rowsPerEvent.inserted + r.rowsPerEvent.updated + r.rowsPerEvent.deleted, 2),
      unit: '',
      reference:
        `inserted ${r.rowsPerEvent.inserted} · updated ${r.rowsPerEvent.updated} · deleted ${r.rowsPerEvent.deleted} · ` +
        `commits ${r.rowsPerEvent.commits} per event; at most ${r.maxConnections} connections to the bench database (the bench system's own included)`,
      target: '',
      met: null,
    },
  ];
}

/**
 * 10. Several processes: one api, worker and realtime, then two of each, on the same machine,
 * each run with the same producer (booking events at a fixed rate, spread over the APIs, for
 * hosts whose live streams are spread over the realtime processes). Every delivery must arrive
 * once and every live message once per stream; CPU per 1,000 events by role, both ways.
 */
export async function multiProcess(s: BenchSystem, scale: Scale, env: Env): Promise<Row[]> {
  // The bench system's worker would share the Postgres sweep (and, on a cluster, the queues) with the topologies'.
  await s.worker.stop();
  const redis = await benchRedis(env, PORTS.multiProcess.redis);
  const receivers = Array.from({ length: RECEIVERS }, (_, i) => new WebhookReceiver(PORTS.multiProcess.receivers + i));
  const subscriptions: string[] = [];
  try {
    await Promise.all(receivers.map((r) => r.start()));
    for (const r of receivers) subscriptions.push(await s.subscribe([TYPE], '/multi', r.port));
    const run = Date.now().toString(36);
    const hosts = Array.from({ length: scale.multiProcessHosts }, (_, h) => `hst_mp_${run}_${h}`);
    await s.db.host.createMany({
      data: hosts.map((id) => ({ id, name: `bench ${id}`, email: `${id}@example.com` })),
    });
    const one = await runTopology(s, scale, env, redis, receivers, hosts, 1);
    const two = await runTopology(s, scale, env, redis, receivers, hosts, 2);
    const correct = [one, two].every((r) => rowsOf(r, scale)[1].met);
    process.stdout.write(
      `multiProcess correctness: ${correct ? 'PASS' : 'FAIL'} (Redis: ${redis.describe}; overrides: RATE_LIMIT_SCALE=${env.RATE_LIMIT_SCALE})\n`,
    );
    const ratio = serviceCpu(two.cpuPerThousand) / serviceCpu(one.cpuPerThousand);
    return [
      ...rowsOf(one, scale),
      ...rowsOf(two, scale),
      {
        scenario: 'multiProcess',
        figure: 'CPU per event, 2× / 1× (Bellhop processes, Postgres and Redis)',
        value: round(ratio, 2),
        unit: '×',
        reference:
          `${scale.multiProcessHosts} hosts × ${STREAMS_PER_HOST} streams; Redis: ${redis.describe}; ` +
          `override RATE_LIMIT_SCALE=${env.RATE_LIMIT_SCALE}; correctness ${correct ? 'PASS' : 'FAIL'}`,
        target: '',
        met: null,
      },
    ];
  } finally {
    for (const id of subscriptions) await s.unsubscribe(id);
    await Promise.all(receivers.map((r) => r.stop()));
    await redis.stop();
    await s.worker.start();
  }
}
