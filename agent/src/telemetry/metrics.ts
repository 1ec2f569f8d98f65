// The agent's metrics under Vault Agent's names. Vault Agent counts through go-metrics with the
// service name "vault" (`vault.agent.auth.success`, `vault.agent.proxy.success`,
// `vault.agent.cache.hit`, ...); its Prometheus sink names them with dots as underscores
// (`vault_agent_auth_success`), as counters, created on first use and dropped once not updated for
// prometheus_retention_time; the prefix_filter / filter_default rules decide which are kept, and
// enable_hostname_label adds a `host` label. Without a telemetry stanza Prometheus is off (the
// endpoint answers 400 "prometheus is not enabled") but the in-memory summary (JSON) still is.
import { hostname } from 'node:os';
import type { Counter as CounterType, Registry as RegistryType } from 'prom-client';
import type { TelemetrySettings } from '../config/settings.ts';

export const SERVICE_NAME = 'vault';
const SUMMARY_INTERVAL_MS = 10_000;

export interface MetricsAnswer {
  status: number;
  contentType: string;
  body: string;
}

interface CounterState {
  counter: CounterType | undefined;
  lastUpdatedMs: number;
  /** The current in-memory interval's samples (go-metrics' inmem sink). */
  interval: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  sumSquares: number;
}

/** go-metrics' prefix filter: the longest matching `+`/`-` prefix decides, else filter_default. */
export function metricAllowed(key: string, settings: Pick<TelemetrySettings, 'filterDefault' | 'prefixFilter'>): boolean {
  let best: { length: number; allow: boolean } | undefined;
  for (const rule of settings.prefixFilter) {
    const prefix = rule.slice(1);
    if (key.startsWith(prefix) && (best === undefined || prefix.length >= best.length)) best = { length: prefix.length, allow: rule.startsWith('+') };
  }
  return best === undefined ? settings.filterDefault : best.allow;
}

/** `vault.agent.proxy.client_error` → `vault_agent_proxy_client_error` (the Prometheus sink's flattenKey). */
export function prometheusName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_:]/g, '_');
}

export class AgentMetrics {
  private readonly counters = new Map<string, CounterState>();
  private registry: RegistryType | undefined;
  private CounterClass: typeof CounterType | undefined;
  private readonly host = hostname();

  private constructor(private readonly settings: TelemetrySettings | undefined, private readonly now: () => number) {}

  /** prom-client is loaded only by agents that serve metrics (it is not small). */
  static async create(settings: TelemetrySettings | undefined, now: () => number): Promise<AgentMetrics> {
    const metrics = new AgentMetrics(settings, now);
    if (settings !== undefined && settings.prometheusRetentionMs > 0) {
      const client = await import('prom-client');
      metrics.registry = new client.Registry();
      metrics.CounterClass = client.Counter;
    }
    return metrics;
  }

  /** One count of `agent.<...>`, e.g. increment('agent', 'cache', 'hit'). */
  increment(...key: string[]): void {
    const name = [SERVICE_NAME, ...key].join('.');
    if (!metricAllowed(name, this.settings ?? { filterDefault: true, prefixFilter: [] })) return;
    const now = this.now();
    const interval = Math.floor(now / SUMMARY_INTERVAL_MS);
    let state = this.counters.get(name);
    if (state === undefined) {
      state = { counter: undefined, lastUpdatedMs: now, interval, count: 0, sum: 0, min: 1, max: 1, sumSquares: 0 };
      this.counters.set(name, state);
    }
    if (state.interval !== interval) Object.assign(state, { interval, count: 0, sum: 0, sumSquares: 0 });
    state.count += 1;
    state.sum += 1;
    state.sumSquares += 1;
    state.lastUpdatedMs = now;
    if (this.registry !== undefined && this.CounterClass !== undefined) {
      const labels = this.settings?.enableHostnameLabel === true ? ['host'] : [];
      state.counter ??= new this.CounterClass({ name: prometheusName(name), help: prometheusName(name), labelNames: labels, registers: [this.registry] });
      if (labels.length > 0) state.counter.inc({ host: this.host });
      else state.counter.inc();
    }
  }

  /** GET /agent/v1/metrics?format=prometheus */
  async prometheus(): Promise<MetricsAnswer> {
    if (this.registry === undefined) return { status: 400, contentType: 'text/plain', body: 'prometheus is not enabled' };
    const retention = this.settings?.prometheusRetentionMs ?? 0;
    for (const [name, state] of this.counters) {
      if (state.counter !== undefined && this.now() - state.lastUpdatedMs > retention) {
        this.registry.removeSingleMetric(prometheusName(name));
        state.counter = undefined;
      }
    }
    return { status: 200, contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** GET /agent/v1/metrics: the in-memory summary of the current interval, as go-metrics shows it. */
  summary(): MetricsAnswer {
    const interval = Math.floor(this.now() / SUMMARY_INTERVAL_MS);
    const counters = [...this.counters.entries()]
      .filter(([, state]) => state.interval === interval && state.count > 0)
      .map(([name, state]) => {
        const mean = state.sum / state.count;
        const variance = state.count > 1 ? (state.sumSquares - state.count * mean * mean) / (state.count - 1) : 0;
        return { Name: name, Count: state.count, Rate: state.sum / (SUMMARY_INTERVAL_MS / 1000), Sum: state.sum, Min: state.min, Max: state.max, Mean: mean, Stddev: Math.sqrt(Math.max(0, variance)), Labels: {} };
      });
    const body = JSON.stringify({ Timestamp: new Date(interval * SUMMARY_INTERVAL_MS).toISOString(), Gauges: [], Points: [], Counters: counters, Samples: [] });
    return { status: 200, contentType: 'application/json', body };
  }
}
