import { durationBudgetMs, type FunctionInfo, type InfraSettings, type QueueInfo } from './settings.js';
import { type CfnResource, type CfnTemplate, propsOf, resourcesOfType } from './template.js';

const FIVE_MINUTES = 300;

function lambdaAlarm(
  fn: FunctionInfo,
  settings: InfraSettings,
  what: string,
  props: Record<string, unknown>,
): CfnResource {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `warden-${settings.stage}-${fn.key}-${what}`,
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: fn.name }],
      Period: FIVE_MINUTES,
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      ...props,
    },
  };
}

/** Errors, throttles and p95 duration over budget for one function. */
export function functionAlarms(fn: FunctionInfo, settings: InfraSettings): Record<string, CfnResource> {
  const budget = durationBudgetMs(fn, settings);
  return {
    [`${fn.logicalPrefix}ErrorsAlarm`]: lambdaAlarm(fn, settings, 'errors', {
      AlarmDescription: `${fn.key}: ${settings.functionErrorsThreshold}+ errors in 5 minutes`,
      MetricName: 'Errors',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: settings.functionErrorsThreshold,
    }),
    [`${fn.logicalPrefix}ThrottlesAlarm`]: lambdaAlarm(fn, settings, 'throttles', {
      AlarmDescription: `${fn.key}: throttled invocations`,
      MetricName: 'Throttles',
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    }),
    [`${fn.logicalPrefix}DurationAlarm`]: lambdaAlarm(fn, settings, 'duration-p95', {
      AlarmDescription: `${fn.key}: p95 duration over its budget of ${budget} ms (timeout ${fn.timeoutSeconds} s)`,
      MetricName: 'Duration',
      ExtendedStatistic: 'p95',
      Unit: 'Milliseconds',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: budget,
    }),
  };
}

/** Any message in a DLQ; the oldest message of a work queue older than the threshold. */
export function queueAlarms(queue: QueueInfo, settings: InfraSettings): Record<string, CfnResource> {
  const base = {
    Namespace: 'AWS/SQS',
    Dimensions: [{ Name: 'QueueName', Value: queue.name }],
    Period: FIVE_MINUTES,
    EvaluationPeriods: 1,
    Statistic: 'Maximum',
    TreatMissingData: 'notBreaching',
  };
  const properties = queue.isDlq
    ? {
        ...base,
        AlarmName: `warden-${settings.stage}-${queue.logicalId}-dlq-depth`,
        AlarmDescription: `${queue.logicalId}: a message reached the dead-letter queue`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      }
    : {
        ...base,
        AlarmName: `warden-${settings.stage}-${queue.logicalId}-age`,
        AlarmDescription: `${queue.logicalId}: oldest message older than ${settings.queueAgeSecondsThreshold} s`,
        MetricName: 'ApproximateAgeOfOldestMessage',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: settings.queueAgeSecondsThreshold,
      };
  const alarm: CfnResource = { Type: 'AWS::CloudWatch::Alarm', Properties: properties };
  if (queue.condition) alarm.Condition = queue.condition;
  return { [`${queue.logicalId}${queue.isDlq ? 'Depth' : 'Age'}Alarm`]: alarm };
}

/** True when `value` is `{ "Fn::GetAtt": [logicalId, "Arn"] }` (or the "X.Arn" string form). */
function getAttArnOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || !('Fn::GetAtt' in value)) return undefined;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && att[1] === 'Arn' && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string' && att.endsWith('.Arn')) return att.slice(0, -4);
  return undefined;
}

/** The SQS queues of a template; a queue is a DLQ when another queue's redrive policy targets it or its id says so. */
export function queuesOf(template: CfnTemplate): QueueInfo[] {
  const queues = resourcesOfType(template, 'AWS::SQS::Queue');
  const dlqs = new Set<string>();
  for (const [, q] of queues) {
    const redrive = q.Properties?.RedrivePolicy;
    if (redrive && typeof redrive === 'object' && 'deadLetterTargetArn' in redrive) {
      const target = getAttArnOf(redrive.deadLetterTargetArn);
      if (target) dlqs.add(target);
    }
  }
  return queues.map(([id, q]) => {
    const literal = q.Properties?.QueueName;
    const info: QueueInfo = {
      logicalId: id,
      name: typeof literal === 'string' ? literal : `\${${id}.QueueName}`,
      isDlq: dlqs.has(id) || /dlq|deadletter/i.test(id),
    };
    if (q.Condition) info.condition = q.Condition;
    return info;
  });
}

/** Points every alarm that has no action at the alerts topic (alarm and recovery notifications). */
export function routeAlarmsTo(template: CfnTemplate, topicLogicalId: string): string[] {
  const routed: string[] = [];
  for (const [id, alarm] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
    const props = propsOf(alarm);
    const actions = props.AlarmActions;
    if (Array.isArray(actions) && actions.length > 0) continue;
    props.AlarmActions = [{ Ref: topicLogicalId }];
    props.OKActions ??= [{ Ref: topicLogicalId }];
    routed.push(id);
  }
  return routed;
}
