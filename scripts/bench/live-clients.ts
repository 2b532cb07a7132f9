// Holds SSE connections to one or more realtime processes and counts, per connection, every
// live message of the measured bookings: each `notification` by its id, each `booking_update`
// by its event id, and the time from the producer's send (`data.sent`) to the frame.
// Arg: a JSON plan, [{ "url": realtime base URL, "host": host id, "streams": n }, …].
// Prints "ready N" once connected. Stdin: "measure PREFIX" counts only bookings whose id starts
// with PREFIX (what came before, a warm-up, is ignored); "progress" prints the frames counted;
// "report" prints JSON ({ connections: [{ host, url, notifications, notificationCopies, updates,
// updateCopies }], p50, p99 }) and exits.
import http from 'node:http';
import readline from 'node:readline';
import { signHostToken } from '@bellhop/auth';
import { sseFrameSplitter } from '@bellhop/realtime-bus';
import { percentile } from './stats';

type Plan = { url: string; host: string; streams: number }[];
interface Connection {
  url: string;
  host: string;
  /** Copies received of each notification id, and of each booking_update's event id. */
  notifications: Map<string, number>;
  updates: Map<string, number>;
}

const plan = JSON.parse(process.argv[2]) as Plan;
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const connections: Connection[] = [];
const latencies: number[] = [];
let measuredPrefix: string | null = null;
let counted = 0;
const now = () => performance.timeOrigin + performance.now();

const bump = (copies: Map<string, number>, id: string) => copies.set(id, (copies.get(id) ?? 0) + 1);

function onFrame(connection: Connection, frame: string): void {
  const event = /^event: (.*)$/m.exec(frame)?.[1];
  const data = /^data: (.*)$/m.exec(frame)?.[1];
  if (!measuredPrefix || !data || (event !== 'notification' && event !== 'booking_update')) return;
  const parsed = JSON.parse(data) as {
    id?: string;
    event_id?: string;
    booking_id: string | null;
    data?: { sent?: number };
  };
  if (!parsed.booking_id?.startsWith(measuredPrefix)) return;
  counted++;
  if (event === 'notification') bump(connection.notifications, parsed.id!);
  else {
    bump(connection.updates, parsed.event_id!);
    if (parsed.data?.sent) latencies.push(now() - parsed.data.sent);
  }
}

function connect(url: string, host: string, token: string): Promise<void> {
  const connection: Connection = { url, host, notifications: new Map(), updates: new Map() };
  connections.push(connection);
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/v1/hosts/${host}/events?access_token=${token}`, { agent }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`${url} ${host}: status ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8').on(
          'data',
          sseFrameSplitter((frame) => onFrame(connection, frame)),
        );
        res.on('end', () => process.stderr.write(`live-clients: ${url} closed the stream of ${host}\n`));
        resolve();
      })
      .on('error', reject);
  });
}

const copiesOf = (copies: Map<string, number>) => [...copies.values()].reduce((sum, n) => sum + n, 0);

async function main(): Promise<void> {
  const secret = process.env.JWT_SECRET ?? 'bellhop-dev-only-change-me';
  for (const { url, host, streams } of plan) {
    const token = await signHostToken(secret, host, 3600);
    await Promise.all(Array.from({ length: streams }, () => connect(url, host, token)));
  }
  process.stdout.write(`ready ${connections.length}\n`);
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    const [command, argument] = line.trim().split(' ');
    if (command === 'measure') measuredPrefix = argument;
    if (command === 'progress') process.stdout.write(`${counted}\n`);
    if (command !== 'report') return;
    const report = {
      connections: connections.map((c) => ({
        host: c.host,
        url: c.url,
        notifications: c.notifications.size,
        notificationCopies: copiesOf(c.notifications),
        updates: c.updates.size,
        updateCopies: copiesOf(c.updates),
      })),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
