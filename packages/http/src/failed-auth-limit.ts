import { HttpError } from './http-error';

/** The Redis commands the count needs (an ioredis client, single node or Cluster). */
export interface FailureCounterRedis {
  multi(): FailureCounterChain;
}
interface FailureCounterChain {
  incr(key: string): FailureCounterChain;
  pexpire(key: string, milliseconds: number, mode: 'NX'): FailureCounterChain;
  pttl(key: string): FailureCounterChain;
  exec(): Promise<[Error | null, unknown][] | null>;
}

const WINDOW_MS = 60_000;
/** Blocked IPs remembered per process; past this many, the oldest are forgotten (Redis still counts them). */
const MAX_BLOCKED = 10_000;

/**
 * Failed authentications per client IP, counted in Redis across processes (the API's bearer and
 * sign-in forms, the realtime service's agent streams). An IP over the
 * limit is remembered in this process until its window ends, so a flood of made-up credentials is
 * refused before any lookup, and a good credential never costs a Redis call here.
 */
export class FailedAuthLimit {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly redis: FailureCounterRedis,
    private readonly prefix: string,
    private readonly perMinute: number,
  ) {}

  /** Milliseconds until this IP may try again, or 0. */
  retryAfterMs(ip: string, now = Date.now()): number {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return 0;
    if (until > now) return until - now;
    this.blockedUntil.delete(ip);
    return 0;
  }

  /** Throws 429 with Retry-After while this IP is over the limit (the JSON callers' answer). */
  refuseIfBlocked(ip: string): void {
    const waitMs = this.retryAfterMs(ip);
    if (waitMs > 0)
      throw new HttpError(
        429,
        'too_many_failed_authentications',
        'Too many failed authentications from this address; try again later',
        undefined,
        { 'Retry-After': String(Math.ceil(waitMs / 1000)) },
      );
  }

  /** Counts a failure; a Redis outage only skips the count (authentication itself still failed). */
  async recordFailure(ip: string): Promise<void> {
    const key = `${this.prefix}:auth-failures:${ip}`;
    try {
      const replies = await this.redis.multi().incr(key).pexpire(key, WINDOW_MS, 'NX').pttl(key).exec();
      const count = Number(replies?.[0]?.[1] ?? 0);
      const ttl = Number(replies?.[2]?.[1] ?? WINDOW_MS);
      if (count <= this.perMinute) return;
      if (this.blockedUntil.size >= MAX_BLOCKED)
        this.blockedUntil.delete(this.blockedUntil.keys().next().value as string);
      this.blockedUntil.set(ip, Date.now() + Math.max(ttl, 1000));
    } catch {
      // Counting is best effort: Postgres is still protected by the unknown-key cache.
    }
  }
}
