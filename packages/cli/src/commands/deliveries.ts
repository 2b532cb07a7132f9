import type { Db, Recovery } from '@bellhop/db';
import { closeDomainContext, createDomainContext, requestRecovery, subscriptionOwner } from '@bellhop/domain';
import { createLogger } from '@bellhop/logger';
import { requireFlag, UsageError, type CommandContext } from '../command';
import { print } from '../output';

const DEFAULT_WAIT_SECONDS = 60;
const POLL_MS = 250;

function waitSeconds(ctx: CommandContext): number {
  const raw = ctx.flags.wait;
  if (raw === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(seconds) || seconds < 0)
    throw new UsageError('--wait must be a number of seconds, e.g. 120 (0: do not wait)');
  return seconds;
}

/** Polls the recovery row until the worker finishes it or the wait is over; the worker carries on either way. */
async function waitForRecovery(db: Db, recovery: Recovery, seconds: number): Promise<Recovery> {
  const deadline = Date.now() + seconds * 1000;
  let current = recovery;
  while ((current.status === 'queued' || current.status === 'running') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    current = await db.recovery.findUniqueOrThrow({ where: { id: recovery.id } });
  }
  return current;
}

function recoverySummary(r: Recovery): string {
  const head = `recovery ${r.id} of ${r.subscriptionId}: ${r.status}, ${r.resent} deliveries re-sent`;
  if (r.status === 'failed') return `${head} (${r.error})`;
  if (r.status !== 'completed') return `${head} so far; the worker carries on`;
  return r.capped ? `${head}, capped: run again with --since ${r.coveredUntil?.toISOString()}` : head;
}

export async function deliveriesReplay(ctx: CommandContext): Promise<void> {
  const subscriptionId = requireFlag(ctx, 'subscription');
  const since = new Date(requireFlag(ctx, 'since'));
  if (Number.isNaN(since.getTime())) throw new UsageError('--since must be an ISO date, e.g. 2026-11-23T00:00:00Z');
  const seconds = waitSeconds(ctx);
  const owner = await subscriptionOwner(ctx.db(), subscriptionId);
  if (!owner) throw new UsageError(`no subscription ${subscriptionId}`);
  const domain = createDomainContext(ctx.config, createLogger('cli', 'warn'));
  try {
    const recovery = await waitForRecovery(
      ctx.db(),
      await requestRecovery(domain, owner, subscriptionId, since),
      seconds,
    );
    print(
      ctx.out,
      {
        recovery_id: recovery.id,
        subscription_id: subscriptionId,
        since: since.toISOString(),
        status: recovery.status,
        resent: recovery.resent,
        capped: recovery.capped,
        until: recovery.coveredUntil?.toISOString() ?? null,
        error: recovery.error,
      },
      () => recoverySummary(recovery),
    );
  } finally {
    await closeDomainContext(domain);
  }
}
