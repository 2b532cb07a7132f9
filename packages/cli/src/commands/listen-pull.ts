import { UsageError, type CommandContext } from '../command';
import { followStream } from '../sse-stream';
import { pretty, verification } from './listen';

interface StreamedMessage {
  cursor: string;
  id: string;
  event_type: string;
  body: string;
  headers: Record<string, string>;
}

/** Moves the subscription's cursor: everything up to this message is delivered. */
async function acknowledge(ctx: CommandContext, key: string, subscriptionId: string, cursor: string): Promise<void> {
  const url = new URL(
    `/api/v1/external/webhook-subscriptions/${encodeURIComponent(subscriptionId)}/messages/ack`,
    ctx.config.PUBLIC_API_URL,
  );
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ cursor }),
  });
  if (!res.ok) throw new Error(`acknowledging ${cursor} failed: HTTP ${res.status}`);
}

/**
 * `listen --pull SUBSCRIPTION_ID`: streams a pull subscription from the realtime service, prints each
 * message as `listen` prints a push, and acknowledges it; reconnects with Last-Event-ID, so nothing
 * is missed or printed twice.
 */
export async function listenPull(ctx: CommandContext): Promise<void> {
  const subscriptionId = ctx.flags.pull;
  if (typeof subscriptionId !== 'string' || subscriptionId === '')
    throw new UsageError('--pull needs a SUBSCRIPTION_ID');
  const key = typeof ctx.flags.key === 'string' ? ctx.flags.key : ctx.config.BELLHOP_API_KEY;
  if (!key) throw new UsageError('missing --key (or BELLHOP_API_KEY): an API key of the agent owning the subscription');
  const secret = typeof ctx.flags.secret === 'string' ? ctx.flags.secret : undefined;
  const url = new URL('/api/v1/agents/stream', ctx.config.PUBLIC_REALTIME_URL);
  url.searchParams.set('subscription', subscriptionId);
  await followStream(url, {
    authorization: () => `Bearer ${key}`,
    async onFrame(frame) {
      if (frame.event === 'connected')
        process.stdout.write(
          `Ready! Streaming pull subscription ${subscriptionId} from ${url.origin} ${secret ? '(verifying signatures)' : '(no --secret: signatures not verified)'}\n`,
        );
      if (frame.event === 'resync') process.stderr.write(`resync: ${frame.data}\n`);
      if (frame.event !== 'message') return;
      const message = JSON.parse(frame.data) as StreamedMessage;
      process.stdout.write(
        `--> ${new Date().toISOString()} PULL [${message.cursor}] ${message.id} ${message.event_type} ${verification(message.body, message.headers, secret).mark}\n${pretty(Buffer.from(message.body))}\n\n`,
      );
      // Acknowledged before its id becomes the Last-Event-ID: a message lost with the connection comes again.
      await acknowledge(ctx, key, subscriptionId, message.cursor);
    },
  });
}
