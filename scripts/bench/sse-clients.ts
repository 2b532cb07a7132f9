// Holds many SSE connections to one realtime process and measures publish → client latency.
// Args: base URL, hosts, streams per host, host id prefix (hosts are PREFIX0…PREFIXn-1).
// Prints "ready N" once connected; on stdin "report" prints JSON percentiles and exits.
import http from 'node:http';
import readline from 'node:readline';
import { signHostToken } from '@bellhop/auth';
import { sseFrameSplitter } from '@bellhop/realtime-bus';
import { percentile } from './stats';

const [baseUrl, hostsText, perHostText, hostPrefix = 'hst_bench'] = process.argv.slice(2);
const hosts = Number(hostsText);
const perHost = Number(perHostText);
/** Hosts connecting at once: enough to keep both processes busy, few enough not to overrun the accept backlog. */
const HOSTS_IN_PARALLEL = 20;
const latencies: number[] = [];
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const now = () => performance.timeOrigin + performance.now();

function connect(hostId: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http
      .get(`${baseUrl}/api/v1/hosts/${hostId}/events?access_token=${token}`, { agent }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`status ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8').on(
          'data',
          sseFrameSplitter((frame) => {
            const sent = /"bench_sent":([0-9.]+)/.exec(frame);
            if (sent) latencies.push(now() - Number(sent[1]));
          }),
        );
        resolve();
      })
      .on('error', reject);
  });
}

async function connectHost(h: number, secret: string): Promise<number> {
  const hostId = `${hostPrefix}${h}`;
  const token = await signHostToken(secret, hostId, 3600);
  await Promise.all(Array.from({ length: perHost }, () => connect(hostId, token)));
  return perHost;
}

async function main(): Promise<void> {
  const secret = process.env.JWT_SECRET ?? 'bellhop-dev-only-change-me';
  let connected = 0;
  for (let first = 0; first < hosts; first += HOSTS_IN_PARALLEL) {
    const batch = Array.from({ length: Math.min(HOSTS_IN_PARALLEL, hosts - first) }, (_, i) =>
      connectHost(first + i, secret),
    );
    for (const count of await Promise.all(batch)) connected += count;
  }
  process.stdout.write(`ready ${connected}\n`);
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.trim() !== 'report') return;
    process.stdout.write(
      `${JSON.stringify({ received: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) })}\n`,
    );
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
