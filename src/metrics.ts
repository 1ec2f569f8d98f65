/**
 * Prometheus metrics with vault-k8s's names (`agent-inject/metrics.go`: namespace `vault`,
 * subsystem `agent_injector`), so existing dashboards and alerts keep working.
 * Each server owns its registry, so several servers can run in one process (tests, benchmarks).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type InjectionType = 'init_and_sidecar' | 'init_only' | 'sidecar_only' | 'native_sidecar';

/** vault-k8s's buckets, in milliseconds. */
export const PROCESSING_DURATION_BUCKETS_MS: readonly number[] = [
  5, 10, 25, 50, 75, 100, 250, 500, 1000, 2500, 5000, 7500, 10000,
];

export interface InjectorMetrics {
  readonly registry: Registry;
  requestStarted(): void;
  /** One call per finished admission request, whatever its outcome. */
  requestFinished(result: {
    durationMs: number;
    namespace: string | undefined;
    injected: InjectionType | undefined;
    failed: boolean;
  }): void;
  render(): Promise<{ contentType: string; text: string }>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): InjectorMetrics {
  const registry = new Registry();
  const queueLength = new Gauge({
    name: 'vault_agent_injector_request_queue_length',
    help: 'Count of webhook requests in the injector request queue',
    registers: [registry],
  });
  const processingDuration = new Histogram({
    name: 'vault_agent_injector_request_processing_duration_ms',
    help: 'Histogram of webhook request processing times in milliseconds',
    buckets: [...PROCESSING_DURATION_BUCKETS_MS],
    registers: [registry],
  });
  const injections = new Counter({
    name: 'vault_agent_injector_injections_by_namespace_total',
    help: 'Total count of Agent Sidecar injections by namespace',
    labelNames: ['namespace', 'injection_type'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'vault_agent_injector_failed_injections_by_namespace_total',
    help: 'Total count of failed Agent Sidecar injections by namespace',
    labelNames: ['namespace'],
    registers: [registry],
  });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    requestStarted() {
      queueLength.inc();
    },
    requestFinished({ durationMs, namespace, injected, failed }) {
      queueLength.dec();
      processingDuration.observe(durationMs);
      // vault-k8s labels by the request's namespace; an unparseable request has none.
      const namespaceLabel = namespace ?? '';
      if (injected !== undefined) injections.inc({ namespace: namespaceLabel, injection_type: injected });
      if (failed) failures.inc({ namespace: namespaceLabel });
    },
    async render() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
