import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './eventually';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/**
 * A real webhook receiver on 127.0.0.1. It records every request; `reply` decides each
 * response (default 200), e.g. `(req, n) => (n < 2 ? { status: 500 } : { status: 200 })`.
 */
export async function startReceiver(reply: (req: ReceivedRequest, index: number) => Reply = () => ({ status: 200 })) {
  const requests: ReceivedRequest[] = [];
  let decide = reply;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      const answer = decide(received, requests.length);
      requests.push(received);
      const send = () => {
        if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    setReply(next: typeof reply) {
      decide = next;
    },
    async waitForCount(count: number, timeoutMs = 10_000) {
      await eventually(() => {
        if (requests.length < count) throw new Error(`received ${requests.length} of ${count} requests`);
      }, timeoutMs);
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
