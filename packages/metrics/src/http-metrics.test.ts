import express from 'express';
import request from 'supertest';
import { eventsRecorded, httpMetrics, metricsRoute, observeQueues, sseConnections } from './index';

function app() {
  const a = express();
  a.use(httpMetrics());
  a.use(metricsRoute());
  const router = express.Router();
  router.get('/things/:id', (_req, res) => {
    res.status(201).json({ ok: true });
  });
  a.use('/api', router);
  return a;
}

describe('/metrics', () => {
  it('labels HTTP durations by route pattern and status, never by raw URL', async () => {
    const a = app();
    await request(a).get('/api/things/thg_SECRET123').expect(201);
    await request(a).get('/nowhere/abc').expect(404);
    const res = await request(a)
      .get('/metrics')
      .expect(200)
      .expect('Content-Type', /text\/plain/);
    expect(res.text).toMatch(
      /bellhop_http_request_duration_seconds_count\{method="GET",route="\/api\/things\/:id",status="201"\} 1/,
    );
    expect(res.text).toMatch(/route="unmatched",status="404"/);
    expect(res.text).not.toContain('thg_SECRET123');
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('exports the domain metrics and reads queue depth at scrape time', async () => {
    eventsRecorded.inc({ type: 'booking.created' });
    sseConnections.inc();
    observeQueues(() => [{ name: 'events', getJobCounts: async () => ({ waiting: 7, failed: 2 }) }]);
    const res = await request(app()).get('/metrics').expect(200);
    expect(res.text).toContain('bellhop_events_recorded_total{type="booking.created"} 1');
    expect(res.text).toContain('bellhop_sse_connections 1');
    expect(res.text).toContain('bellhop_queue_jobs{queue="events",state="waiting"} 7');
    expect(res.text).toContain('bellhop_queue_jobs{queue="events",state="failed"} 2');
    for (const name of [
      'bellhop_deliveries_total',
      'bellhop_delivery_duration_seconds',
      'bellhop_inbound_receipts_total',
    ])
      expect(res.text).toContain(`# TYPE ${name}`);
  });
});
