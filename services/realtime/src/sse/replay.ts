import type { RedisClient } from '@bellhop/queue';
import { busKeys } from '@bellhop/realtime-bus';
import type { LiveEvent } from './sse-connection';
import { compareStreamIds, STREAM_ID } from './stream-id';

export type ReplayPlan =
  | { kind: 'fresh'; latestId: string }
  | { kind: 'resume'; entries: LiveEvent[] }
  | { kind: 'resync'; latestId: string; reason: string };

type StreamInfo = { lastGenerated: string; firstId: string; trimmed: boolean } | null;

async function streamInfo(redis: RedisClient, key: string): Promise<StreamInfo> {
  try {
    const flat = (await redis.call('XINFO', 'STREAM', key)) as (string | number | unknown[] | null)[];
    const field = (name: string) => String(flat[flat.indexOf(name) + 1] ?? '0-0');
    // MAXLEN trimming shows as fewer entries than were ever added.
    const trimmed = Number(field('entries-added')) > Number(field('length'));
    return { lastGenerated: field('last-generated-id'), firstId: field('recorded-first-entry-id'), trimmed };
  } catch (error) {
    if (/no such key/i.test((error as Error).message)) return null;
    throw error;
  }
}

/**
 * What a (re)connecting client needs: nothing to replay, the events after its Last-Event-ID
 * in order, or a `resync` when those were trimmed from the capped stream (or never existed here).
 */
export async function planReplay(
  redis: RedisClient,
  prefix: string,
  hostId: string,
  lastEventId: string | undefined,
): Promise<ReplayPlan> {
  const key = busKeys(prefix).hostStream(hostId);
  const info = await streamInfo(redis, key);
  const latestId = info?.lastGenerated ?? '0-0';
  if (lastEventId === undefined) return { kind: 'fresh', latestId };
  if (!STREAM_ID.test(lastEventId)) return { kind: 'resync', latestId, reason: 'unknown_event_id' };
  if (compareStreamIds(lastEventId, latestId) > 0) return { kind: 'resync', latestId, reason: 'unknown_event_id' };
  if (info?.trimmed && compareStreamIds(lastEventId, info.firstId) < 0)
    return { kind: 'resync', latestId, reason: 'history_trimmed' };
  const rows = await redis.xrange(key, `(${lastEventId}`, '+');
  return { kind: 'resume', entries: rows.map(([id, fields]) => toEvent(id, fields)) };
}

function toEvent(id: string, fields: string[]): LiveEvent {
  const get = (name: string) => fields[fields.indexOf(name) + 1];
  return { id, event: get('event'), data: JSON.parse(get('data') ?? 'null') };
}
