import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger and one tracer per container. Outside Lambda the tracer is a no-op (Powertools detects it),
 * and the log level comes from POWERTOOLS_LOG_LEVEL.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'warden' });
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'warden' });

export const METRICS_NAMESPACE = 'Warden';

/** EMF metrics with the dimensions every warden metric carries: stage and automation. */
export function createMetrics(automation: string, stage: string | undefined): Metrics {
  return new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: 'warden',
    defaultDimensions: { stage: stage ?? 'unknown', automation },
  });
}
