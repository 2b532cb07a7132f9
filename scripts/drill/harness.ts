import { createAgent, createApiKey } from '@bellhop/domain';
import { createPrismaClient, type Db } from '@bellhop/db';
import { WebhookReceiver } from '../harness/receiver';
import { ServiceProcess, sleep } from '../harness/processes';

export interface Drill {
  name: string;
  run(h: Harness): Promise<DrillOutcome>;
}
export interface DrillOutcome {
  sent: number;
  received: number;
  duplicates: number;
  lost: number;
  notes: string[];
  /** Attempt rows beyond one per (delivery, number), and deliveries whose attempt numbers are not exactly 1..attempts: both must be 0. */
  attemptRows?: AttemptAudit;
}
export interface AttemptAudit {
  duplicated: number;
  misnumbered: number;
}

const PORTS = { api: 3100, worker: 3102, receiver: 3199 };

/** Everything a drill needs: the real api + worker processes, a receiver, an agent key. */
export class Harness {
  readonly receiver = new WebhookReceiver(PORTS.receiver);
  readonly api: ServiceProcess;
  readonly worker: ServiceProcess;
  readonly apiUrl = `http://127.0.0.1:${PORTS.api}`;
  token = '';
  private db: Db;

  constructor(
    readonly env: Record<string, string>,
    readonly quick: boolean,
  ) {
    this.api = new ServiceProcess('api', { ...env, API_PORT: String(PORTS.api) }, PORTS.api);
    this.worker = new ServiceProcess('worker', { ...env, WORKER_PORT: String(PORTS.worker) }, PORTS.worker);
    this.db = createPrismaClient(env.DATABASE_URL);
  }

  async setUp(): Promise<void> {
    await this.receiver.start();
    await Promise.all([this.api.start(), this.worker.start()]);
    const agent = await createAgent(this.db, { name: `drill-${Date.now()}`, kind: 'platform' });
    this.token = (
      await createApiKey(this.db, {
        agentId: agent.id,
        name: agent.name,
        scopes: ['webhooks:write', 'webhooks:read', 'events:write'],
      })
    ).token;
    const res = await fetch(`${this.apiUrl}/api/v1/external/webhook-subscriptions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${this.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        agent_name: 'drill-receiver',
        webhook_url: this.receiver.url,
        events: ['booking.updated'],
        max_failed_attempts: 1000,
      }),
    });
    if (res.status !== 201)
      throw new Error(`could not register the drill subscription: ${res.status} ${await res.text()}`);
  }

  async tearDown(): Promise<void> {
    await Promise.allSettled([this.api.stop(), this.worker.stop(), this.receiver.stop()]);
    await this.db.$disconnect().catch(() => undefined);
  }

  /** Ids of drill events recorded in Postgres (for events whose 202 never reached the client). */
  async recordedIds(tag: string): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`SELECT id FROM events WHERE data->>'drill' = ${tag}`;
    return rows.map((r) => r.id);
  }

  /** What Postgres recorded of these events' attempts: one row per attempt number, numbered 1..attempts. */
  async attemptAudit(eventIds: string[]): Promise<AttemptAudit> {
    const [row] = await this.db.$queryRaw<{ duplicated: bigint; misnumbered: bigint }[]>`
      WITH copies AS (
        SELECT a.delivery_id, a.number, count(*) AS n FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
        WHERE d.event_id = ANY(${eventIds}) GROUP BY a.delivery_id, a.number
      ), numbering AS (
        SELECT delivery_id, count(*) AS numbers, min(number) AS lowest, max(number) AS highest FROM copies GROUP BY delivery_id
      )
      SELECT (SELECT coalesce(sum(n - 1), 0) FROM copies) AS duplicated,
        (SELECT count(*) FROM deliveries d LEFT JOIN numbering x ON x.delivery_id = d.id
         WHERE d.event_id = ANY(${eventIds}) AND (coalesce(x.numbers, 0) <> d.attempts OR x.lowest <> 1 OR x.highest <> x.numbers)) AS misnumbered`;
    return { duplicated: Number(row.duplicated), misnumbered: Number(row.misnumbered) };
  }

  /** Waits until every id has reached the receiver, or the time runs out; returns the tally. */
  async waitDelivered(ids: string[], timeoutMs: number): Promise<ReturnType<WebhookReceiver['tally']>> {
    const deadline = Date.now() + timeoutMs;
    let tally = this.receiver.tally(ids);
    while (tally.lost > 0 && Date.now() < deadline) {
      await sleep(500);
      tally = this.receiver.tally(ids);
    }
    await sleep(1000); // let late duplicates land before counting them
    return this.receiver.tally(ids);
  }
}
