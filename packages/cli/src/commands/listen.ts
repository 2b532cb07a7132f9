import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { verifyWebhook, type HeaderBag } from '@bellhop/webhooks';
import { UsageError, type CommandContext } from '../command';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function pretty(body: Buffer): string {
  try {
    return JSON.stringify(JSON.parse(body.toString('utf8')), null, 2);
  } catch {
    return body.toString('utf8');
  }
}

/** The signature checked when a secret was given (`verified` null without one), and the mark printed beside it. */
export function verification(
  body: string | Buffer,
  headers: HeaderBag,
  secret: string | undefined,
): { verified: boolean | null; mark: string } {
  if (!secret) return { verified: null, mark: '(not verified: no --secret)' };
  try {
    verifyWebhook(body, headers, secret);
    return { verified: true, mark: '✓ verified' };
  } catch (error) {
    return { verified: false, mark: `✗ ${(error as Error).message}` };
  }
}

/** Like `stripe listen`: a local receiver that verifies each delivery and prints it. */
export async function listen(ctx: CommandContext): Promise<void> {
  if (ctx.flags.pull !== undefined) return (await import('./listen-pull.js')).listenPull(ctx);
  const port = Number(ctx.flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  const secret = typeof ctx.flags.secret === 'string' ? ctx.flags.secret : undefined;
  // A request that breaks off before its body is complete is dropped, not left to reject unhandled.
  const server = createServer((req, res) => void receive(req, res).catch(() => res.destroy()));
  async function receive(req: IncomingMessage, res: ServerResponse) {
    const body = await readBody(req);
    const { verified, mark } = verification(body, req.headers, secret);
    const type = String(req.headers['x-webhook-event'] ?? '-');
    process.stdout.write(
      `--> ${new Date().toISOString()} ${req.method} ${req.url} ${String(req.headers['webhook-id'] ?? '-')} ${type} ${mark}\n${pretty(body)}\n\n`,
    );
    res.writeHead(verified === false ? 400 : 200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ received: verified !== false }));
  }
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const { port: bound } = server.address() as { port: number };
  process.stdout.write(
    `Ready! Listening on http://127.0.0.1:${bound} ${secret ? '(verifying signatures)' : '(no --secret: signatures not verified)'}\n`,
  );
  await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}
