import { createQueue, createRedis } from '@bellhop/queue';
import type { PurgeResult } from '@bellhop/domain';
import { sleep } from '../harness/processes';
import { receiveTimes, type Row, type Scale } from './scenarios';
import type { BenchSystem } from './setup';
import { percentile, round } from './stats';

type Env = Record<string, string>;
const DAYS_AGO = 400;
const RATE = 100;
const TYPE = 'booking.cancelled';
/** Deliveries are posted in windows of this length, each waited for until it has arrived, with and without a purge alike. */
const WINDOW_SECONDS = 2;

/** Writes `rows` expired rows (a third each events and deliveries, a sixth each attempts and inbound receipts) with generate_series. */
async function seedExpired(s: BenchSystem, rows: number): Promise<number> {
  const chains = Math.floor(rows / 3);
  const receipts = rows - 2 * chains - Math.floor(chains / 2);
  const at = `now() - interval '${DAYS_AGO} days'`;
  const sub = await s.db.webhookSubscription.findFirstOrThrow({ where: { events: { has: TYPE } } });
  const host = await s.db.host.create({
    data: { id: `hst_purge_${Date.now()}`, name: 'purge bench', email: `purge-${Date.now()}@example.com` },
  });
  const connection = await s.db.inboundConnection.create({
    data: { id: `inb_purge_${Date.now()}`, provider: 'hostaway', hostId: host.id, secretEncrypted: 'unused' },
  });
  const started = performance.now();
  await s.db.$executeRawUnsafe(`INSERT INTO events (id, type, data, created_at, fanned_out_at)
    SELECT 'evt_purge_' || g, '${TYPE}', '{"booking_id":"bkg_bench","note":"expired"}', ${at}, ${at} FROM generate_series(1, ${chains}) g`);
  await s.db
    .$executeRawUnsafe(`INSERT INTO deliveries (id, event_id, subscription_id, status, attempts, last_status_code, completed_at, created_at, updated_at)
    SELECT 'dlv_purge_' || g, 'evt_purge_' || g, '${sub.id}', 'succeeded', 1, 200, ${at}, ${at}, ${at} FROM generate_series(1, ${chains}) g`);
  await s.db
    .$executeRawUnsafe(`INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms, status_code)
    SELECT 'att_purge_' || g, 'dlv_purge_' || (g * 2), 1, ${at}, 12, 200 FROM generate_series(1, ${Math.floor(chains / 2)}) g`);
  await s.db
    .$executeRawUnsafe(`INSERT INTO inbound_receipts (id, connection_id, provider, dedupe_key, raw_body, status, attempts, processed_at, created_at)
    SELECT 'rcp_purge_' || g, '${connection.id}', 'hostaway', 'purge-' || g, '{"event":"reservation.updated"}', 'processed', 1, ${at}, ${at}
    FROM generate_series(1, ${receipts}) g`);
  const seconds = (performance.now() - started) / 1000;
  // What autovacuum would soon do after such a load: done now, so it does not run while the baseline is measured.
  await s.db.$executeRawUnsafe('VACUUM ANALYZE events, deliveries, delivery_attempts, inbound_receipts');
  return seconds;
}

/** Starts a purge on the worker now (the job its scheduler would add) and resolves with what it removed and how long it took. */
async function runPurge(env: Env): Promise<{ result: PurgeResult; seconds: number }> {
  const connection = createRedis(env.REDIS_URL, 'worker');
  const queue = createQueue({ connection, config: { QUEUE_PREFIX: env.QUEUE_PREFIX } }, 'maintenance');
  try {
    const job = await queue.add('purge-data', { task: 'purge-data' });
    for (;;) {
      await sleep(200);
      const done = await queue.getJob(job.id!);
      if (done?.failedReason) throw new Error(`purge failed: ${done.failedReason}`);
      if (done?.finishedOn)
        return {
          result: (done.returnvalue as { result: PurgeResult }).result,
          seconds: (done.finishedOn - done.processedOn!) / 1000,
        };
    }
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** 202→received times of deliveries posted at RATE, window after window, until `stop()` says so. */
async function flowing(s: BenchSystem, stop: (elapsedSeconds: number) => boolean): Promise<number[]> {
  const ms: number[] = [];
  const started = performance.now();
  while (!stop((performance.now() - started) / 1000))
    ms.push(...(await receiveTimes(s, RATE, WINDOW_SECONDS, TYPE)).ms);
  return ms;
}

/**
 * 9. Retention: with `scale.purgeRows` expired rows, a delivery's 202→received p99 at a steady
 * rate while the worker purges them, beside the same without a purge (measured before and
 * after it, as this machine's load drifts), and the purge rate.
 */
export async function purge(s: BenchSystem, scale: Scale, env: Env): Promise<Row[]> {
  await s.subscribe([TYPE], '/purge');
  const seedSeconds = await seedExpired(s, scale.purgeRows);
  await receiveTimes(s, RATE, scale.latencyWarmUpSeconds, TYPE); // warm-up
  const before = await flowing(s, (elapsed) => elapsed >= scale.purgeBaselineSeconds);
  let finished = false;
  const purging = runPurge(env).finally(() => {
    finished = true;
  });
  const during = await flowing(s, () => finished);
  const { result, seconds } = await purging;
  const after = await flowing(s, (elapsed) => elapsed >= scale.purgeBaselineSeconds);
  const alone = [...before, ...after];
  const removed = result.events + result.deliveries + result.attempts + result.inboundReceipts;
  const p99Alone = percentile(alone, 99);
  const p99During = percentile(during, 99);
  const name = `retention purge of ${removed.toLocaleString('en')} expired rows (default settings, ${RATE} deliveries/s flowing)`;
  return [
    {
      scenario: name,
      figure: `delivery p99 202→received during the purge (${during.length} deliveries)`,
      value: round(p99During),
      unit: 'ms',
      reference:
        `without a purge ${round(p99Alone)} ms (${alone.length} deliveries; before ${round(percentile(before, 99))}, after ${round(percentile(after, 99))}); ` +
        `p50 ${round(percentile(during, 50))} vs ${round(percentile(alone, 50))} ms`,
      target: `≤ 2 × without (${round(2 * p99Alone)} ms)`,
      met: p99During <= 2 * p99Alone,
    },
    {
      scenario: name,
      figure: 'purge rate',
      value: Math.round(removed / seconds),
      unit: 'rows/s',
      reference: `${round(seconds)} s: ${JSON.stringify(result)}; seeding took ${round(seedSeconds)} s`,
      target: '',
      met: null,
    },
  ];
}
