import { sendEvents } from '../harness/client';
import type { Drill } from './harness';
import { ServiceProcess, sleep } from '../harness/processes';
import { postgres, redis } from '../harness/system';

const n = (quick: boolean, full: number, small: number) => (quick ? small : full);

export const receiverDown: Drill = {
  name: 'receiver down, then back',
  async run(h) {
    const outage = n(h.quick, 30_000, 5_000);
    await h.receiver.stop();
    const sent = await sendEvents(h.apiUrl, h.token, n(h.quick, 1000, 200), `rd${Date.now()}`);
    await sleep(outage);
    await h.receiver.start();
    const tally = await h.waitDelivered(sent.accepted, 120_000);
    return { sent: sent.accepted.length, ...tally, notes: [`receiver down ${outage / 1000} s`] };
  },
};

export const workerKilled: Drill = {
  name: 'worker SIGKILL mid-burst, restarted',
  async run(h) {
    const count = n(h.quick, 10_000, 1_000);
    const tag = `wk${Date.now()}`;
    let killed = false;
    const sending = sendEvents(h.apiUrl, h.token, count, tag, {
      onProgress: (done) => {
        if (!killed && done > count / 3) {
          killed = true;
          void h.worker.stop('SIGKILL');
        }
      },
    });
    const sent = await sending;
    await sleep(1000);
    await h.worker.start();
    const tally = await h.waitDelivered(sent.accepted, 180_000);
    const dupPct = sent.accepted.length ? (100 * tally.duplicates) / sent.accepted.length : 0;
    // A killed worker's jobs run again: the receiver may see a message twice, Postgres must record each attempt once.
    const attemptRows = await h.attemptAudit(sent.accepted);
    return {
      sent: sent.accepted.length,
      ...tally,
      attemptRows,
      notes: [
        `duplicates at the receiver ${dupPct.toFixed(2)}% (target ≤ 1%)`,
        `duplicate attempt rows ${attemptRows.duplicated}, deliveries misnumbered ${attemptRows.misnumbered} (both must be 0)`,
      ],
    };
  },
};

export const redisWiped: Drill = {
  name: 'Redis restarted empty mid-burst',
  async run(h) {
    const count = n(h.quick, 5_000, 600);
    const tag = `rw${Date.now()}`;
    const wiped: Promise<void>[] = [];
    const sent = await sendEvents(h.apiUrl, h.token, count, tag, {
      onProgress: (done) => {
        if (wiped.length === 0 && done > count / 2)
          wiped.push(
            redis
              .stopEmpty()
              .then(() => sleep(2000))
              .then(() => redis.start()),
          );
      },
    });
    await Promise.all(wiped);
    const ids = [...new Set([...sent.accepted, ...(await h.recordedIds(tag))])];
    const tally = await h.waitDelivered(ids, 180_000);
    return { sent: ids.length, ...tally, notes: [`API answers: ${JSON.stringify(sent.statuses)}`] };
  },
};

export const postgresRestarted: Drill = {
  name: 'PostgreSQL restarted mid-burst',
  async run(h) {
    const count = n(h.quick, 5_000, 600);
    const tag = `pg${Date.now()}`;
    const restarted: Promise<void>[] = [];
    const sent = await sendEvents(h.apiUrl, h.token, count, tag, {
      onProgress: (done) => {
        if (restarted.length === 0 && done > count / 2)
          restarted.push(
            postgres
              .stop()
              .then(() => sleep(3000))
              .then(() => postgres.start()),
          );
      },
    });
    await Promise.all(restarted);
    const ids = [...new Set([...sent.accepted, ...(await h.recordedIds(tag))])];
    const tally = await h.waitDelivered(ids, 180_000);
    const fiveHundreds = sent.statuses[500] ?? 0;
    return {
      sent: ids.length,
      ...tally,
      lost: tally.lost + fiveHundreds,
      notes: [`API answers: ${JSON.stringify(sent.statuses)} (500s counted as failures: ${fiveHundreds})`],
    };
  },
};

export const apiDiesAfterCommit: Drill = {
  name: 'API dies between commit and enqueue',
  async run(h) {
    const tag = `ac${Date.now()}`;
    await h.api.stop();
    const crashing = new ServiceProcess('api', { ...h.api.env, FAULT_EXIT_AFTER_EVENT_COMMIT: 'true' }, h.api.port);
    await crashing.start();
    const answer = await fetch(`${h.apiUrl}/api/v1/external/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'booking.updated', data: { booking_id: `drill-${tag}`, drill: tag } }),
    }).then(
      (res) => `HTTP ${res.status}`,
      (error: Error) => `connection dropped (${error.message})`,
    );
    await crashing.stop('SIGKILL');
    await h.api.start();
    const ids = await h.recordedIds(tag);
    if (ids.length !== 1)
      return {
        sent: 1,
        received: 0,
        duplicates: 0,
        lost: 1,
        notes: [`expected 1 committed event, found ${ids.length}; client saw ${answer}`],
      };
    const tally = await h.waitDelivered(ids, 60_000);
    return { sent: 1, ...tally, notes: [`client saw ${answer}; the sweeper delivered the committed event`] };
  },
};

export const DRILLS = [receiverDown, workerKilled, redisWiped, postgresRestarted, apiDiesAfterCommit];
