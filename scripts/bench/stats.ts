/** Percentile of a list of numbers (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs `tick(i)` at `perSecond` for `seconds`, in 10 ms slices, without waiting for each call. */
export async function paced(perSecond: number, seconds: number, tick: (i: number) => Promise<unknown>): Promise<void> {
  const total = Math.round(perSecond * seconds);
  const started = performance.now();
  const inFlight: Promise<unknown>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond));
    while (sent < due) inFlight.push(tick(sent++).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inFlight);
}
