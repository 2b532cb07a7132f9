import type { Event } from '@bellhop/db';
import { readTraceHeaders, type TraceContext } from '@bellhop/tracing';

/** The trace an event was recorded in: its fan-outs and delivery attempts are spans under it, however often they re-run. */
export function eventTrace(event: Pick<Event, 'traceparent' | 'tracestate'>): TraceContext | null {
  return readTraceHeaders(event.traceparent, event.tracestate);
}
