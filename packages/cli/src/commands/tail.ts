import { signHostToken } from '@bellhop/auth';
import { UsageError, type CommandContext } from '../command';
import { followStream } from '../sse-stream';

/** Prints a host's live stream; reconnects with Last-Event-ID so nothing is missed. */
export async function tail(ctx: CommandContext): Promise<void> {
  const hostId = ctx.args[0];
  if (!hostId) throw new UsageError('missing HOST_ID');
  const url = new URL(`/api/v1/hosts/${encodeURIComponent(hostId)}/events`, ctx.config.PUBLIC_REALTIME_URL);
  await followStream(url, {
    // A fresh short-lived token per connection, so a long tail never outlives its token.
    authorization: async () => `Bearer ${await signHostToken(ctx.config.JWT_SECRET, hostId, 300)}`,
    onFrame(frame) {
      if (frame.event === 'connected') process.stderr.write(`connected to ${url.origin} as ${hostId}\n`);
      process.stdout.write(
        `${new Date().toISOString()} ${frame.event}${frame.id ? ` [${frame.id}]` : ''} ${frame.data}\n`,
      );
    },
  });
}
