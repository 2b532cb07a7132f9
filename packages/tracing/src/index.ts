export { createTracing } from './create-tracing';
export {
  newTrace,
  propagationOnly,
  type Span,
  type SpanAttributes,
  type SpanKind,
  type SpanOptions,
  type Tracing,
} from './tracing';
export {
  SAMPLED,
  formatTraceparent,
  newSpanId,
  newTraceId,
  parseTraceparent,
  parseTracestate,
  readTraceHeaders,
  type TraceContext,
} from './trace-context';
