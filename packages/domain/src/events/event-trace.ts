import type { Event } from '@bellhop/db';
import { formatTraceparent, readTraceHeaders, type TraceContext } from '@bellhop/tracing';

/** The trace an event was recorded in: its fan-outs and delivery attempts are spans under it, however often they re-run. */
export function eventTrace(event: Pick<Event, 'traceparent' | 'tracestate'>): TraceContext | null {
  return readTraceHeaders(event.traceparent, event.tracestate);
}

/** A request's trace as job data carries it (W3C header names), for work that is not an event yet. */
export function traceFields(trace: TraceContext | null | undefined): { traceparent?: string; tracestate?: string } {
  if (!trace) return {};
  return { traceparent: formatTraceparent(trace), ...(trace.state ? { tracestate: trace.state } : {}) };
}

/** The trace a job's data carries (see traceFields); none when it was queued without one, e.g. by a sweep. */
export function jobTrace(data: { traceparent?: string; tracestate?: string }): TraceContext | null {
  return readTraceHeaders(data.traceparent, data.tracestate);
}
