import { signHostToken } from '@bellhop/auth';
import { UsageError, type CommandContext } from '../command';
import { frames } from '../sse-stream';

/** Prints a host's live stream; reconnects with Last-Event-ID so nothing is missed. */
export async function tail(ctx: CommandContext): Promise<void> {
  const hostId = ctx.args[0];
  if (!hostId) throw new UsageError('missing HOST_ID');
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const url = new URL(`/api/v1/hosts/${encodeURIComponent(hostId)}/events`, ctx.config.PUBLIC_REALTIME_URL);
  let lastId: string | undefined;
  while (!stop.signal.aborted) {
    try {
      // A fresh short-lived token per connection, so a long tail never outlives its token.
      const token = await signHostToken(ctx.config.JWT_SECRET, hostId, 300);
      const headers = {
        Accept: 'text/event-stream',
        Authorization: `Bearer ${token}`,
        ...(lastId ? { 'Last-Event-ID': lastId } : {}),
      };
      const res = await fetch(url, { headers, signal: stop.signal });
      if (res.status === 401 || res.status === 403 || res.status === 404)
        throw new UsageError(`the realtime service refused the stream (${res.status})`);
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      process.stderr.write(`connected to ${url.origin} as ${hostId}\n`);
      for await (const frame of frames(res.body)) {
        if (frame.id) lastId = frame.id;
        process.stdout.write(
          `${new Date().toISOString()} ${frame.event}${frame.id ? ` [${frame.id}]` : ''} ${frame.data}\n`,
        );
      }
    } catch (error) {
      if (stop.signal.aborted) break;
      if (error instanceof UsageError) throw error;
      process.stderr.write(`stream lost (${(error as Error).message}); reconnecting…\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
}
