import { functionAlarms, queueAlarms, queuesOf, routeAlarmsTo } from './alarms.js';
import { buildDashboard, toSub } from './body.js';
import { foldStaticIfs } from './foldConditions.js';
import type { FunctionInfo, InfraSettings } from './settings.js';

export { parseBudgets } from './settings.js';

import { addMissingTags } from './tags.js';
import {
  ALARM_TYPE,
  type CfnResource,
  type CfnTemplate,
  DASHBOARD_TYPE,
  propsOf,
  resourcesOfType,
} from './template.js';

export const KEY_LOGICAL_ID = 'WardenKey';
export const ALERTS_TOPIC_LOGICAL_ID = 'AlertsTopic';
export const DASHBOARD_LOGICAL_ID = 'WardenDashboard';
const KEY_ARN = { 'Fn::GetAtt': [KEY_LOGICAL_ID, 'Arn'] };

export interface InfraReport {
  alarmsAdded: string[];
  alarmsRouted: string[];
  logGroupsEncrypted: string[];
  dataEncrypted: string[];
  tagged: string[];
  dashboard: boolean;
  /** Fn::If on conditions known at package time, replaced by their branch. */
  conditionsFolded: number;
  warnings: string[];
}

/** Gives every log group without a key the stage key (the key policy lets CloudWatch Logs use it). */
export function encryptLogGroups(template: CfnTemplate): string[] {
  if (!template.Resources[KEY_LOGICAL_ID]) return [];
  const done: string[] = [];
  for (const [id, group] of resourcesOfType(template, 'AWS::Logs::LogGroup')) {
    const props = propsOf(group);
    if (props.KmsKeyId !== undefined) continue;
    props.KmsKeyId = KEY_ARN;
    done.push(id);
  }
  return done;
}

const AWS_MANAGED_KEYS = new Set(['alias/aws/sqs', 'alias/aws/sns', 'alias/aws/dynamodb']);
function usesOwnKey(value: unknown): boolean {
  return value !== undefined && !(typeof value === 'string' && AWS_MANAGED_KEYS.has(value));
}

/**
 * Puts the stage key on queues, topics and tables that have none or an AWS managed key: CloudWatch alarms cannot
 * publish to a topic, nor EventBridge send to a queue, encrypted with an AWS managed key (its policy cannot grant
 * them). Returns `logicalId (was ...)` for each change so the packaging log says what to write in the yml.
 */
export function encryptQueuesTopicsTables(template: CfnTemplate): string[] {
  if (!template.Resources[KEY_LOGICAL_ID]) return [];
  const done: string[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    const props = propsOf(r);
    if (r.Type === 'AWS::SQS::Queue' || r.Type === 'AWS::SNS::Topic') {
      if (usesOwnKey(props.KmsMasterKeyId)) continue;
      done.push(`${id} (was ${JSON.stringify(props.KmsMasterKeyId ?? 'unencrypted')})`);
      props.KmsMasterKeyId = KEY_ARN;
      delete props.SqsManagedSseEnabled;
    } else if (r.Type === 'AWS::DynamoDB::Table') {
      const sse = (props.SSESpecification ?? {}) as Record<string, unknown>;
      if (sse.SSEEnabled === true && sse.SSEType === 'KMS' && usesOwnKey(sse.KMSMasterKeyId)) continue;
      done.push(`${id} (was ${JSON.stringify(sse.KMSMasterKeyId ?? 'AWS owned key')})`);
      props.SSESpecification = { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN };
    }
  }
  return done;
}

/**
 * What build/warden-infra-plugin.cjs does to the compiled template at package time, so that every function and
 * queue any engineer adds is covered: per-function and per-queue alarms, the stage dashboard (WardenDashboard's
 * body), alarm actions to the alerts topic, the key on every log group, and the Service/Stage/Owner tags.
 */
export function applyInfra(
  template: CfnTemplate,
  functions: readonly FunctionInfo[],
  settings: InfraSettings,
): InfraReport {
  const report: InfraReport = {
    alarmsAdded: [],
    alarmsRouted: [],
    logGroupsEncrypted: [],
    dataEncrypted: [],
    tagged: [],
    dashboard: false,
    conditionsFolded: 0,
    warnings: [],
  };
  const queues = queuesOf(template);
  const generated: Record<string, CfnResource> = Object.assign(
    {},
    ...functions.map((f) => functionAlarms(f, settings)),
    ...queues.map((q) => queueAlarms(q, settings)),
  );
  for (const [id, alarm] of Object.entries(generated)) {
    if (template.Resources[id]) {
      report.warnings.push(`${id} already exists: generated alarm not added`);
      continue;
    }
    template.Resources[id] = alarm;
    report.alarmsAdded.push(id);
  }
  if (template.Resources[ALERTS_TOPIC_LOGICAL_ID]) {
    report.alarmsRouted = routeAlarmsTo(template, ALERTS_TOPIC_LOGICAL_ID);
  } else {
    report.warnings.push(`${ALERTS_TOPIC_LOGICAL_ID} is not in the template: alarms have no action yet`);
  }
  report.logGroupsEncrypted = encryptLogGroups(template);
  report.dataEncrypted = encryptQueuesTopicsTables(template);
  const dashboard = template.Resources[DASHBOARD_LOGICAL_ID];
  if (dashboard?.Type === DASHBOARD_TYPE) {
    // Conditional alarms cannot be referenced from the (unconditional) dashboard.
    const alarmIds = resourcesOfType(template, ALARM_TYPE)
      .filter(([, a]) => !a.Condition)
      .map(([id]) => id);
    const body = buildDashboard({
      settings,
      functions,
      queues: queues.filter((q) => !q.condition),
      alarmIds,
    });
    propsOf(dashboard).DashboardBody = toSub(body, settings.stage);
    report.dashboard = true;
  }
  report.tagged = addMissingTags(template, {
    Service: 'warden',
    Stage: settings.stage,
    Owner: settings.owner,
  });
  report.conditionsFolded = foldStaticIfs(template);
  return report;
}
