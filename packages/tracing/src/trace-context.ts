import { randomFillSync } from 'node:crypto';

/** A W3C trace context: where a span sits in its trace, and the vendors' `tracestate` carried beside it. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  /** The trace-flags byte; bit 0 says the caller may record the trace (sampled). */
  flags: number;
  state?: string;
}

/** The trace-flags bit saying the trace may be recorded. */
export const SAMPLED = 0x01;

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/**
 * Reads a `traceparent` header as W3C Trace Context level 1 says: version 00 has exactly four
 * fields, a later version may add more (ignored), version ff and all-zero ids are invalid.
 * Invalid input gives null: the caller starts a fresh trace, it does not refuse the request.
 */
export function parseTraceparent(header: string | undefined | null): TraceContext | null {
  if (!header) return null;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return null;
  return { traceId, spanId, flags: parseInt(flags, 16), state: undefined };
}

const TRACESTATE_KEY = /^(?:[a-z][a-z0-9_\-*/]{0,255}|[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13})$/;
const TRACESTATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const TRACESTATE_MAX_MEMBERS = 32;

/** A `tracestate` header kept as received when every list member is well formed, else dropped whole. */
export function parseTracestate(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const members = header
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
  if (members.length === 0 || members.length > TRACESTATE_MAX_MEMBERS) return undefined;
  const valid = members.every((member) => {
    const eq = member.indexOf('=');
    return eq > 0 && TRACESTATE_KEY.test(member.slice(0, eq)) && TRACESTATE_VALUE.test(member.slice(eq + 1));
  });
  return valid ? members.join(',') : undefined;
}

/** The incoming context of a request or message; `tracestate` only counts beside a valid `traceparent`. */
export function readTraceHeaders(
  traceparent: string | undefined | null,
  tracestate: string | undefined | null,
): TraceContext | null {
  const parent = parseTraceparent(traceparent);
  if (parent) parent.state = parseTracestate(tracestate);
  return parent;
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags.toString(16).padStart(2, '0')}`;
}

/** Random bytes are drawn a pool at a time: one system call per 512 span ids, not one each. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = POOL_BYTES;

/** Random ids as W3C asks (never all zeros). */
function randomHex(bytes: number, zero: string): string {
  let id: string;
  do {
    if (used + bytes > pool.length) [pool, used] = [randomFillSync(Buffer.allocUnsafe(POOL_BYTES)), 0];
    id = pool.toString('hex', used, (used += bytes));
  } while (id === zero);
  return id;
}

export const newTraceId = () => randomHex(16, ZERO_TRACE_ID);
export const newSpanId = () => randomHex(8, ZERO_SPAN_ID);
