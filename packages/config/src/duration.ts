import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses "250ms", "5s", "30m", "24h", "7d" (or a bare number of ms) into milliseconds. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return null;
  const unit = (match[2] ?? 'ms') as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

export const durationMs = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 500ms, 5s, 30m, 24h or 7d` });
    return z.NEVER;
  }
  return ms;
});

export const durationListMs = z.string().transform((text, ctx) => {
  const steps = text.split(',').map((part) => parseDuration(part));
  if (steps.length === 0 || steps.some((ms) => ms === null || ms <= 0)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a comma-separated list of durations like 5s,5m,30m` });
    return z.NEVER;
  }
  return steps as number[];
});
