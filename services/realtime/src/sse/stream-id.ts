/** Redis stream ids are `<ms>-<seq>`; SSE event ids are exactly these. */
export const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

/** Orders two stream ids (negative when a is older). */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
