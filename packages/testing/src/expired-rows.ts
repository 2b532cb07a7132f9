import type { SqlPool } from '@bellhop/db';

/** Chains of one fanned-out event, one delivery and its attempts, created `daysAgo` days ago, written with generate_series. */
export async function seedDeliveryChains(
  sql: SqlPool,
  input: { tag: string; count: number; subscriptionId: string; daysAgo: number; status?: string; attempts?: number },
): Promise<void> {
  const { tag, count, subscriptionId, daysAgo, status = 'succeeded', attempts = 1 } = input;
  const at = `now() - make_interval(days => ${Number(daysAgo)})`;
  await sql.query(
    `INSERT INTO events (id, type, data, created_at, fanned_out_at)
    SELECT 'evt_' || $1 || g, 'booking.created', '{}', ${at}, ${at} FROM generate_series(1, $2) g`,
    [tag, count],
  );
  await sql.query(
    `INSERT INTO deliveries (id, event_id, subscription_id, status, attempts, created_at, updated_at)
    SELECT 'dlv_' || $1 || g, 'evt_' || $1 || g, $3, $4::"DeliveryStatus", $5, ${at}, ${at} FROM generate_series(1, $2) g`,
    [tag, count, subscriptionId, status, attempts],
  );
  await sql.query(
    `INSERT INTO delivery_attempts (id, delivery_id, number, started_at, duration_ms)
    SELECT 'att_' || $1 || g || '_' || n, 'dlv_' || $1 || g, n, ${at}, 5 FROM generate_series(1, $2) g, generate_series(1, $3) n`,
    [tag, count, attempts],
  );
}

/** Inbound receipts of one connection, created `daysAgo` days ago. */
export async function seedReceipts(
  sql: SqlPool,
  input: { tag: string; count: number; connectionId: string; daysAgo: number; status: string; attempts?: number },
): Promise<void> {
  const { tag, count, connectionId, daysAgo, status, attempts = 1 } = input;
  await sql.query(
    `INSERT INTO inbound_receipts (id, connection_id, provider, dedupe_key, raw_body, status, attempts, created_at)
    SELECT 'rcp_' || $1 || g, $2, 'hostaway', $1 || g, '{}', $3::"InboundReceiptStatus", $4, now() - make_interval(days => $5)
    FROM generate_series(1, $6) g`,
    [tag, connectionId, status, attempts, daysAgo, count],
  );
}

/** How many rows of `table` have an id starting with `prefix`. */
export async function countIds(
  sql: SqlPool,
  table: 'events' | 'deliveries' | 'delivery_attempts' | 'inbound_receipts',
  prefix: string,
): Promise<number> {
  const {
    rows: [row],
  } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id LIKE $1 || '%'`, [prefix]);
  return row.n;
}
