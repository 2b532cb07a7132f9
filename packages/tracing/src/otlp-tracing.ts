import { ROOT_CONTEXT, SpanKind, SpanStatusCode, createTraceState, trace, type Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TraceContext } from './trace-context';
import type { Span, SpanKind as Kind, Tracing } from './tracing';

const KINDS: Record<Kind, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  consumer: SpanKind.CONSUMER,
  internal: SpanKind.INTERNAL,
};

/** The OpenTelemetry context whose (remote) span is `parent`, or the root one. */
function parentContext(parent: TraceContext | null | undefined) {
  if (!parent) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parent.flags,
    isRemote: true,
    ...(parent.state ? { traceState: createTraceState(parent.state) } : {}),
  });
}

/**
 * Records spans with the OpenTelemetry SDK and exports them in batches over OTLP/HTTP (JSON) to
 * `{endpoint}/v1/traces`. Sampling follows the parent's sampled flag; a new trace is sampled.
 * Loaded only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function otlpTracing(endpoint: string, serviceName: string): Tracing {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('bellhop');
  return {
    exporting: true,
    startSpan(name, { kind, parent, attributes }): Span {
      const span = tracer.startSpan(
        name,
        { kind: KINDS[kind], attributes: attributes as Attributes },
        parentContext(parent),
      );
      const { traceId, spanId, traceFlags } = span.spanContext();
      const context: TraceContext = { traceId, spanId, flags: traceFlags, state: parent?.state };
      return {
        context,
        setAttributes: (more) => {
          span.setAttributes(more);
        },
        rename: (newName) => {
          span.updateName(newName);
        },
        end: (error) => {
          if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
          span.end();
        },
      };
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
