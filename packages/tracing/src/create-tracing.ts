import { propagationOnly, type Tracing } from './tracing';

/**
 * The process's tracing: with an OTLP endpoint, the OpenTelemetry SDK records and exports spans;
 * without one the SDK is never loaded and only trace context travels (see `propagationOnly`).
 */
export function createTracing(options: { otlpEndpoint?: string; serviceName: string }): Tracing {
  if (!options.otlpEndpoint) return propagationOnly;
  // Required here, not imported above, so a process without an endpoint never loads the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, on purpose
  const { otlpTracing } = require('./otlp-tracing') as typeof import('./otlp-tracing');
  return otlpTracing(options.otlpEndpoint, options.serviceName);
}
