import { createServer, type Server } from 'node:http';

/** A local keep-alive webhook receiver that can be taken down and brought back on the same port. */
export class WebhookReceiver {
  readonly seen = new Map<string, number>();
  /** When each webhook-id first arrived (performance.now()), for latency figures. */
  readonly firstSeenAt = new Map<string, number>();
  total = 0;
  private server: Server | null = null;
  /** `delayMs`: how long each answer takes, as a slow agent endpoint would. */
  constructor(
    readonly port: number,
    private readonly delayMs = 0,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Starts listening; a no-op when already up. */
  async start(): Promise<void> {
    if (this.server) return;
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['webhook-id'] ?? '');
        this.total++;
        if (id && !this.seen.has(id)) this.firstSeenAt.set(id, performance.now());
        if (id) this.seen.set(id, (this.seen.get(id) ?? 0) + 1);
        if (this.delayMs > 0) setTimeout(() => res.writeHead(200).end('ok'), this.delayMs);
        else res.writeHead(200).end('ok');
      });
    });
    this.server.keepAliveTimeout = 30_000;
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** received = distinct ids of `ids` seen; duplicates = extra copies of them. */
  tally(ids: string[]): { received: number; duplicates: number; lost: number } {
    let received = 0;
    let duplicates = 0;
    for (const id of ids) {
      const count = this.seen.get(id) ?? 0;
      if (count > 0) received++;
      if (count > 1) duplicates += count - 1;
    }
    return { received, duplicates, lost: ids.length - received };
  }
}
