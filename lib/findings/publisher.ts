import type { SQSClient } from '@aws-sdk/client-sqs';
import type { MetricSink } from '../automations/types.js';
import { queueUrlResolver } from '../aws/queueUrls.js';
import { sendAll } from '../aws/sqs.js';
import type { Finding } from './finding.js';
import type { Publish } from './publish.js';

/** Counts by severity, so dashboards and alarms see findings without reading the queue. */
export function countFindings(metrics: MetricSink, findings: readonly Finding[]): void {
  metrics.add('FindingsPublished', 'Count', findings.length);
  const bySeverity = new Map<string, number>();
  for (const f of findings)
    if (f.status === 'open') bySeverity.set(f.severity, (bySeverity.get(f.severity) ?? 0) + 1);
  for (const [severity, n] of bySeverity) metrics.add('OpenFindings', 'Count', n, { severity });
}

/** The one publisher every automation uses in Lambda: findings to the `findings` queue, counts as EMF metrics. */
export function sqsPublisher(deps: {
  sqs: SQSClient;
  /** The queue's URL, or its name (looked up once with GetQueueUrl: no CloudFormation reference needed). */
  queueUrl: string;
  metrics: MetricSink;
  correlationId?: () => string | undefined;
}): Publish {
  const resolve = queueUrlResolver(deps.sqs);
  return async (findings) => {
    if (findings.length === 0) return;
    const queueUrl = /^https?:\/\//.test(deps.queueUrl) ? deps.queueUrl : await resolve(deps.queueUrl);
    const correlationId = deps.correlationId?.();
    await sendAll(
      deps.sqs,
      queueUrl,
      findings.map((f, i) => ({
        id: `f${i}`,
        body: JSON.stringify(f),
        attributes: { findingId: f.id, severity: f.severity, ...(correlationId ? { correlationId } : {}) },
      })),
    );
    countFindings(deps.metrics, findings);
  };
}

/** The CLI and demo publisher: keeps findings for printing instead of sending them. */
export function collectingPublisher(): Publish & { readonly findings: Finding[] } {
  const findings: Finding[] = [];
  const publish = async (batch: readonly Finding[]) => {
    findings.push(...batch);
  };
  return Object.assign(publish, { findings });
}
