import { nextDelayMs, parseRetryAfter, retrySchedule } from './retry-schedule';

const config = { RETRY_SCHEDULE: [5_000, 300_000, 1_800_000] };
const sub = (over: { retryScheduleMs?: number[]; maxRetries?: number | null }) => ({
  retryScheduleMs: [],
  maxRetries: null,
  ...over,
});

describe('retry schedule', () => {
  it('uses an explicit schedule, else the first max_retries default steps, else the default', () => {
    expect(retrySchedule(config, sub({ retryScheduleMs: [1000, 2000] }))).toEqual([1000, 2000]);
    expect(retrySchedule(config, sub({ maxRetries: 2 }))).toEqual([5_000, 300_000]);
    expect(retrySchedule(config, sub({ maxRetries: 0 }))).toEqual([]);
    expect(retrySchedule(config, sub({}))).toEqual(config.RETRY_SCHEDULE);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('jitters ±20% and honours a longer Retry-After up to the cap', () => {
    expect(nextDelayMs(10_000, null, 60_000, () => 0)).toBe(8_000);
    expect(nextDelayMs(10_000, null, 60_000, () => 1)).toBe(12_000);
    expect(nextDelayMs(10_000, 30_000, 60_000, () => 0.5)).toBe(30_000);
    expect(nextDelayMs(10_000, 3_600_000, 60_000, () => 0.5)).toBe(60_000);
    expect(nextDelayMs(10_000, 1_000, 60_000, () => 0.5)).toBe(10_000);
  });
});
