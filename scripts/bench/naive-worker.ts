// The naive ceiling: BullMQ + HMAC signing + axios keep-alive POSTs, no database. Prints JSON
// { count, seconds, perSecond, cpuUs (its CPU µs per job) }. Sends with stock axios, or with
// `bellhop` as the last argument, through the worker's own transport (axios with its lean adapter).
import http from 'node:http';
import axios from 'axios';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { buildSignatureHeaders, generateSecret } from '@bellhop/webhooks';
import { createAxiosTransport } from '../../services/delivery-worker/src/delivery/axios-transport';

type Post = (url: string, body: string, headers: Record<string, string>) => Promise<unknown>;

function poster(kind: string): Post {
  if (kind === 'bellhop') {
    const transport = createAxiosTransport({ allowPrivateTargets: true });
    return (url, body, headers) => transport({ url, headers, body, timeoutMs: 15_000 });
  }
  const client = axios.create({
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    timeout: 15_000,
    maxRedirects: 0,
  });
  return (url, body, headers) => client.post(url, body, { headers });
}

async function main(): Promise<void> {
  const [url, countText, concurrencyText, transportKind = 'stock'] = process.argv.slice(2);
  const count = Number(countText);
  const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `{bellhop-bench-naive-${Date.now()}}`;
  const queue = new Queue('naive', { connection, prefix });
  for (let i = 0; i < count; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({
        name: 'd',
        data: { id: `naive_${i + k}` },
        opts: { removeOnComplete: true },
      })),
    );
  }
  const secret = generateSecret();
  const post = poster(transportKind);
  let done = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const finished = new Promise<void>((resolve) => {
    const worker = new Worker(
      'naive',
      async (job: Job<{ id: string }>) => {
        const body = JSON.stringify({ id: job.data.id, type: 'booking.updated', data: { n: job.data.id } });
        const headers = buildSignatureHeaders({
          id: job.data.id,
          timestamp: Math.floor(Date.now() / 1000),
          body,
          secrets: [secret],
          eventType: 'booking.updated',
        });
        await post(url, body, { ...headers, 'Content-Type': 'application/json' });
        if (++done === count) resolve();
      },
      { connection: connection.duplicate(), prefix, concurrency: Number(concurrencyText) },
    );
    void worker;
  });
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(
    `${JSON.stringify({ count, seconds, perSecond: count / seconds, cpuUs: Math.round((cpu.user + cpu.system) / count) })}\n`,
  );
  await queue.obliterate({ force: true });
  process.exit(0);
}

void main();
