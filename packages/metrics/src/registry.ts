import { collectDefaultMetrics, Registry } from 'prom-client';

/** One registry per process: default Node metrics plus Bellhop's own, all served at /metrics. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Renders the registry in the Prometheus text format. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
