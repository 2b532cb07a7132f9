import type { InboundReceipt } from '@bellhop/db';

export function presentReceipt(r: InboundReceipt) {
  return {
    id: r.id,
    connection_id: r.connectionId,
    provider: r.provider,
    event_name: r.eventName,
    dedupe_key: r.dedupeKey,
    status: r.status,
    error: r.error,
    attempts: r.attempts,
    raw_body: r.rawBody,
    processed_at: r.processedAt?.toISOString() ?? null,
    created_at: r.createdAt.toISOString(),
  };
}
