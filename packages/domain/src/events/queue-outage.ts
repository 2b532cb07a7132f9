import type { DomainContext } from '../context';

const ENQUEUE_TIMEOUT_MS = 2_000;
const DOWN = new Set(['reconnecting', 'close', 'end']);

/**
 * Runs a producer call unless Redis is known to be down, and gives up after a short wait:
 * BullMQ waits for a connection forever, and a request must not.
 */
export async function withinQueueBudget<T>(
  ctx: Pick<DomainContext, 'queueRedis'>,
  operation: () => Promise<T>,
): Promise<T> {
  if (DOWN.has(ctx.queueRedis.status)) throw new Error(`Redis is unreachable (${ctx.queueRedis.status})`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS} ms`)),
      ENQUEUE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([operation(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
