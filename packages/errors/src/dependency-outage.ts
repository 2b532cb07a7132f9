const OUTAGE_MESSAGE = new RegExp(
  [
    'DatabaseNotReachable',
    'ConnectionClosed',
    'Connection terminated',
    "Can't reach database",
    'connect ECONNREFUSED',
    'Connection is closed',
    'timeout exceeded when trying to connect',
  ].join('|'),
  'i',
);

/** Is this error Postgres/Redis being unreachable? The API answers those 503, never 500; the worker waits them out. */
export function isDependencyOutage(error: unknown): boolean {
  const e = error as { code?: string; name?: string; message?: string; cause?: unknown };
  if (!e || typeof e !== 'object') return false;
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'P1001',
    'P1002',
    'P1017',
    'P2024',
    '57P01',
    '57P03',
    '08006',
    '08001',
    '08003',
  ];
  if (e.code && codes.includes(e.code)) return true;
  if (OUTAGE_MESSAGE.test(`${e.name} ${e.message}`)) return true;
  return e.cause ? isDependencyOutage(e.cause) : false;
}
