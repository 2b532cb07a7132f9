import { newSpanId, newTraceId, SAMPLED, type TraceContext } from './trace-context';

export type SpanKind = 'server' | 'client' | 'consumer' | 'internal';
export type SpanAttributes = Record<string, string | number | boolean>;

export interface SpanOptions {
  kind: SpanKind;
  /** The span this one continues; none starts a new trace. */
  parent?: TraceContext | null;
  attributes?: SpanAttributes;
}

/** A unit of work in a trace; its `context` is what goes out to the next hop. */
export interface Span {
  readonly context: TraceContext;
  setAttributes(attributes: SpanAttributes): void;
  /** Names it once more is known (the matched route). */
  rename(name: string): void;
  /** Ends the span, failed when an error message is given. */
  end(error?: string): void;
}

export interface Tracing {
  /** Whether spans are recorded and exported (OTEL_EXPORTER_OTLP_ENDPOINT is set). */
  readonly exporting: boolean;
  startSpan(name: string, options: SpanOptions): Span;
  /** Sends the spans ended so far. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

const ignore = () => undefined;

/** The root of a trace Bellhop starts; marked sampled, as the SDK marks the traces it starts. */
export function newTrace(): TraceContext {
  return { traceId: newTraceId(), spanId: newSpanId(), flags: SAMPLED, state: undefined };
}

/**
 * Trace context without recording: a span is only a fresh span id in its parent's trace (or a
 * new trace), so `traceparent` still travels from the API to the webhook at no real cost.
 */
export const propagationOnly: Tracing = {
  exporting: false,
  startSpan(_name, { parent }) {
    const context: TraceContext = parent
      ? { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags, state: parent.state }
      : newTrace();
    return { context, setAttributes: ignore, rename: ignore, end: ignore };
  },
  flush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
