import { sleep } from './processes';

export interface SendResult {
  accepted: string[];
  statuses: Record<number, number>;
  errors: number;
}

/** Posts `count` events at a bounded concurrency; a 503 is retried later, as a well-behaved client would. */
export async function sendEvents(
  apiUrl: string,
  token: string,
  count: number,
  tag: string,
  options: { concurrency?: number; type?: string; onProgress?: (sent: number) => void } = {},
): Promise<SendResult> {
  const result: SendResult = { accepted: [], statuses: {}, errors: 0 };
  let next = 0;
  const one = async (seq: number) => {
    for (let attempt = 0; attempt < 60; attempt++) {
      try {
        const res = await fetch(`${apiUrl}/api/v1/external/events`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': `${tag}-${seq}`,
          },
          body: JSON.stringify({
            type: options.type ?? 'booking.updated',
            data: { booking_id: `drill-${tag}-${seq}`, drill: tag, seq },
          }),
        });
        result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
        if (res.status === 202) {
          result.accepted.push(((await res.json()) as { data: { event_id: string } }).data.event_id);
          return;
        }
        await res.body?.cancel();
        if (res.status !== 503) return;
      } catch {
        result.errors++;
      }
      await sleep(500);
    }
  };
  const lanes = Array.from({ length: options.concurrency ?? 20 }, async () => {
    while (next < count) {
      const seq = next++;
      await one(seq);
      options.onProgress?.(next);
    }
  });
  await Promise.all(lanes);
  // Retries with the same Idempotency-Key return the same id; count each event once.
  result.accepted = [...new Set(result.accepted)];
  return result;
}
