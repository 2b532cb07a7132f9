// A keep-alive http.request load client in its own process. Prints JSON:
// { count, seconds, perSecond, p50, p99, statuses, clientCpuUs (CPU µs per request) }.
// Args: URL COUNT CONCURRENCY [RATE_PER_SECOND]; env BENCH_AUTH and BENCH_BODY optional.
import http from 'node:http';
import { percentile } from './stats';

const [url, countText, concurrencyText, rateText] = process.argv.slice(2);
const count = Number(countText);
const rate = rateText ? Number(rateText) : 0;
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrencyText) });
const body =
  process.env.BENCH_BODY ?? JSON.stringify({ id: 'raw', type: 'booking.updated', data: { padding: 'x'.repeat(200) } });
const headers: Record<string, string | number> = {
  'Content-Type': 'application/json',
  'Content-Length': Buffer.byteLength(body),
};
if (process.env.BENCH_AUTH) headers.Authorization = process.env.BENCH_AUTH;
const durations: number[] = [];
const statuses: Record<number, number> = {};
let next = 0;

function post(): Promise<void> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'webhook-id': `raw_${next}` } },
      (res) => {
        res.resume();
        res.on('end', () => {
          durations.push(performance.now() - started);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  if (rate > 0) {
    // Open-loop at a fixed rate: requests start on schedule whether or not earlier ones finished.
    const inFlight: Promise<void>[] = [];
    while (next < count) {
      const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * rate));
      while (next < due) {
        next++;
        inFlight.push(post());
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: Number(concurrencyText) }, async () => {
        while (next < count) {
          next++;
          await post();
        }
      }),
    );
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const clientCpuUs = Math.round((cpu.user + cpu.system) / count);
  const report = {
    count,
    seconds,
    perSecond: count / seconds,
    p50: percentile(durations, 50),
    p99: percentile(durations, 99),
    statuses,
    clientCpuUs,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  agent.destroy();
}

void main();
