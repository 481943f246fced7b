import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MetricSink, MetricUnitName } from '../automations/types.js';

/** MetricSink over Powertools EMF metrics; metrics with extra dimensions are flushed as single metrics. */
export function emfSink(metrics: Metrics): MetricSink {
  return {
    add(name, unit: MetricUnitName, value, dimensions) {
      if (!dimensions || Object.keys(dimensions).length === 0) {
        metrics.addMetric(name, unit, value);
        return;
      }
      const single = metrics.singleMetric();
      for (const [k, v] of Object.entries(dimensions)) single.addDimension(k, v);
      single.addMetric(name, unit, value);
    },
  };
}

export interface RecordedMetric {
  name: string;
  unit: MetricUnitName;
  value: number;
  dimensions?: Record<string, string>;
}

/** MetricSink that keeps what it is given: the CLI prints it, tests assert on it. */
export function memorySink(): MetricSink & { readonly recorded: RecordedMetric[] } {
  const recorded: RecordedMetric[] = [];
  return {
    recorded,
    add(name, unit, value, dimensions) {
      recorded.push({ name, unit, value, ...(dimensions ? { dimensions } : {}) });
    },
  };
}
