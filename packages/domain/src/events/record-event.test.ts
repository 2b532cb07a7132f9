import { createHostWithToken, createTestEnv, type TestEnv } from '@bellhop/testing';
import { recordEvent } from './record-event';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('recordEvent under concurrency', () => {
  it('writes concurrent events together, each with its host notification', async () => {
    const host = await createHostWithToken(env.ctx);
    const events = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordEvent(env.ctx, {
          type: 'booking.created',
          hostId: host.hostId,
          bookingId: `bkg_c${i}`,
          data: { guest_name: 'Ana', check_in: '2027-01-01', check_out: '2027-01-03' },
        }),
      ),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(20);
    const notifications = await env.ctx.db.hostNotification.findMany({
      where: { eventId: { in: events.map((e) => e.id) } },
    });
    expect(notifications).toHaveLength(20);
    for (const n of notifications) expect(n.hostId).toBe(host.hostId);
  });

  it('hands concurrent events to the fan-out queue as shared jobs, each named after its first event', async () => {
    const events = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordEvent(env.ctx, { type: 'review.created', data: { n: i }, requestId: `req_${i}` }),
      ),
    );
    const ids = events.map((e) => e.id);
    const jobs = (await env.ctx.queues.events.getWaiting(0, -1)).filter((job) =>
      job.data.eventIds.some((id) => ids.includes(id)),
    );
    expect(jobs.length).toBeLessThan(20);
    expect(jobs.flatMap((job) => job.data.eventIds).sort()).toEqual([...ids].sort());
    for (const job of jobs) expect(job.id).toBe(job.data.eventIds[0]);
    // Events from several requests carry no single request id; a job of one request keeps its own.
    for (const job of jobs)
      expect(job.data.requestId).toBe(job.data.eventIds.length === 1 ? `req_${ids.indexOf(job.id!)}` : undefined);
  });

  it('fails only the request whose row is refused, not the others written with it', async () => {
    const host = await createHostWithToken(env.ctx);
    const data = { guest_name: 'Ana', check_in: '2027-01-01', check_out: '2027-01-03' };
    // A notification for a host that does not exist breaks its foreign key.
    const results = await Promise.allSettled([
      recordEvent(env.ctx, { type: 'booking.created', hostId: host.hostId, bookingId: 'bkg_ok1', data }),
      recordEvent(env.ctx, { type: 'booking.created', hostId: 'hst_missing', bookingId: 'bkg_bad', data }),
      recordEvent(env.ctx, { type: 'booking.created', hostId: host.hostId, bookingId: 'bkg_ok2', data }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await env.ctx.db.event.count({ where: { bookingId: { in: ['bkg_ok1', 'bkg_bad', 'bkg_ok2'] } } })).toBe(2);
  });

  it('stores the data of each event exactly, whatever characters it holds', async () => {
    const tricky = [
      {
        quote: 'say "hi"',
        slash: 'C:\\path\\',
        braces: '{a,b}',
        unicode: 'Zoë 🏖️ 東京',
        nested: [[1, null], { 'k"': [] }],
      },
      { plain: 1 },
    ];
    const events = await Promise.all(tricky.map((data) => recordEvent(env.ctx, { type: 'review.created', data })));
    const stored = await env.ctx.db.event.findMany({ where: { id: { in: events.map((e) => e.id) } } });
    expect(events.map((e) => stored.find((row) => row.id === e.id)?.data)).toEqual(tricky);
  });
});
