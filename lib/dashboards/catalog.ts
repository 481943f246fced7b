/**
 * The metrics dashboards and alarms may reference: what warden emits (namespace Warden, dimensions stage and
 * automation, plus the extra dimension noted) and the AWS metrics of the services warden runs on.
 */
export const WARDEN_NAMESPACE = 'Warden';

export interface WardenMetric {
  unit: string;
  /** Dimensions beyond stage and automation, when the metric carries them. */
  extraDimensions?: readonly string[];
  description: string;
}

export const WARDEN_METRICS: Readonly<Record<string, WardenMetric>> = {
  SnapshotAgeHours: {
    unit: 'None',
    extraDimensions: ['dbIdentifier'],
    description: 'age of the newest recovery point',
  },
  BackupCompliant: {
    unit: 'Count',
    extraDimensions: ['dbIdentifier'],
    description: '1 when the database meets its backup policy (the other kinds are counted per kind)',
  },
  BackupNonCompliant: {
    unit: 'Count',
    extraDimensions: ['kind'],
    description: 'resources of a kind that do not meet their backup policy (backupVerify, per run)',
  },
  BackupUnverified: {
    unit: 'Count',
    extraDimensions: ['kind'],
    description: 'resources of a kind whose checks could not all run (API error or missing permission)',
  },
  RestoreDrillRtoSeconds: {
    unit: 'Seconds',
    extraDimensions: ['dbIdentifier'],
    description: 'restore drill time to recover',
  },
  RestoreDrillPassed: {
    unit: 'Count',
    extraDimensions: ['dbIdentifier'],
    description: '1 when the restore drill passed',
  },
  SecretsDueForRotation: { unit: 'Count', description: 'secrets due for rotation' },
  SecretsOverdue: { unit: 'Count', description: 'secrets past their rotation deadline' },
  SecretsRotationFailed: { unit: 'Count', description: 'secrets whose last rotation failed' },
  RotationStepsSucceeded: { unit: 'Count', description: 'rotation steps that succeeded (rotateSecret)' },
  RotationStepsFailed: { unit: 'Count', description: 'rotation steps that failed (rotateSecret)' },
  DailySpendUsd: { unit: 'None', description: "yesterday's spend" },
  ProjectedMonthUsd: { unit: 'None', description: 'projected spend of the month' },
  CostAnomalies: { unit: 'Count', description: 'cost anomalies detected' },
  CostAtStakeUsd: {
    unit: 'None',
    description: 'money at stake of the open cost anomalies (excess so far + projected to month end)',
  },
  RollbacksPerformed: { unit: 'Count', description: 'rollbacks performed' },
  RollbacksSkipped: {
    unit: 'Count',
    extraDimensions: ['reason'],
    description: 'rollbacks skipped (with the reason)',
  },
  RollbacksFailed: { unit: 'Count', description: 'rollbacks that failed' },
  AlarmEventsIgnored: {
    unit: 'Count',
    description: 'alarm events autoRollback ignored (alarm not opted in)',
  },
  AlarmEventsRejected: {
    unit: 'Count',
    description: 'alarm events autoRollback rejected (an account warden does not serve)',
  },
  UnitsCompleted: { unit: 'Count', description: 'fan-out units that ran to completion' },
  TargetsUnreachable: {
    unit: 'Count',
    description: 'fan-out units whose target account could not be reached',
  },
  NotificationsFailed: {
    unit: 'Count',
    extraDimensions: ['channel'],
    description: 'notifications a channel failed to deliver (retried by SQS)',
  },
  FindingsPublished: { unit: 'Count', description: 'findings published' },
  OpenFindings: {
    unit: 'Count',
    extraDimensions: ['severity'],
    description: 'findings published, per severity',
  },
  NotificationsSent: { unit: 'Count', description: 'notifications sent' },
  NotificationsSuppressed: {
    unit: 'Count',
    description: 'notifications suppressed (duplicates within the window)',
  },
  SelfcheckProblems: { unit: 'Count', description: 'problems found by selfcheck' },
};

/** AWS metrics per namespace that warden's dashboards and alarms use. */
export const AWS_METRICS: Readonly<Record<string, readonly string[]>> = {
  'AWS/Lambda': ['Invocations', 'Errors', 'Duration', 'Throttles', 'ConcurrentExecutions'],
  'AWS/SQS': [
    'ApproximateNumberOfMessagesVisible',
    'ApproximateNumberOfMessagesNotVisible',
    'ApproximateAgeOfOldestMessage',
    'NumberOfMessagesSent',
    'NumberOfMessagesDeleted',
  ],
};

/** True when `name` in `namespace` is a metric warden or AWS emits. */
export function isKnownMetric(namespace: string, name: string): boolean {
  if (namespace === WARDEN_NAMESPACE) return Object.hasOwn(WARDEN_METRICS, name);
  return AWS_METRICS[namespace]?.includes(name) ?? false;
}
