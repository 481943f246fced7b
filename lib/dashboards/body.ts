import { KIND_NAMES } from '../backup/kinds/names.js';
import { WARDEN_NAMESPACE } from './catalog.js';
import { durationBudgetMs, type FunctionInfo, type InfraSettings, type QueueInfo } from './settings.js';

/** One CloudWatch dashboard widget (the subset warden writes). */
export interface Widget {
  type: 'metric' | 'text' | 'alarm';
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

export interface DashboardBody {
  start: string;
  periodOverride: 'inherit';
  widgets: Widget[];
}

export interface DashboardInput {
  settings: InfraSettings;
  functions: readonly FunctionInfo[];
  queues: readonly QueueInfo[];
  /** Logical ids of every alarm in the template (shown in an alarm status widget). */
  alarmIds: readonly string[];
}

type MetricRow = unknown[];
/** An Fn::Sub placeholder (`${ref}`). */
const placeholder = (ref: string): string => `\${${ref}}`;
const REGION = placeholder('AWS::Region');
const STAGE = placeholder('Stage');

/** Places widgets left to right, rows of 24 columns. */
class Grid {
  readonly widgets: Widget[] = [];
  private x = 0;
  private y = 0;
  private rowHeight = 0;

  section(title: string, note: string): void {
    this.newRow();
    this.widgets.push({
      type: 'text',
      x: 0,
      y: this.y,
      width: 24,
      height: 2,
      properties: { markdown: `## ${title}\n${note}` },
    });
    this.y += 2;
  }

  add(type: Widget['type'], properties: Record<string, unknown>, width = 8, height = 6): void {
    if (this.x + width > 24) this.newRow();
    this.widgets.push({ type, x: this.x, y: this.y, width, height, properties });
    this.x += width;
    this.rowHeight = Math.max(this.rowHeight, height);
  }

  private newRow(): void {
    this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

function metricWidget(
  title: string,
  metrics: MetricRow[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { title, region: REGION, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra };
}

function line(value: number, label: string): Record<string, unknown> {
  return { annotations: { horizontal: [{ value, label }] } };
}

/** A SEARCH over every dimension combination of a warden metric in this stage (per database, per reason...). */
function search(name: string, stat: string, period: number, id: string, where = ''): MetricRow {
  const stage = STAGE;
  return [
    {
      expression: `SEARCH('Namespace="${WARDEN_NAMESPACE}" MetricName="${name}" stage="${stage}"${where}', '${stat}', ${period})`,
      id,
      label: name,
    },
  ];
}

function warden(name: string, automation: string, stage: string, stat: string): MetricRow {
  return [WARDEN_NAMESPACE, name, 'stage', stage, 'automation', automation, { stat, label: name }];
}

function lambdaSection(grid: Grid, input: DashboardInput): void {
  const { functions, settings } = input;
  grid.section(
    'Lambda',
    `${functions.length} functions; duration widgets show the p95 budget of each function.`,
  );
  const per = (metric: string, stat: string): MetricRow[] =>
    functions.map((f) => ['AWS/Lambda', metric, 'FunctionName', f.name, { stat, label: f.key }]);
  grid.add('metric', metricWidget('Invocations', per('Invocations', 'Sum')));
  grid.add('metric', metricWidget('Errors', per('Errors', 'Sum')));
  grid.add('metric', metricWidget('Throttles', per('Throttles', 'Sum')));
  grid.add(
    'metric',
    metricWidget(
      'Concurrent executions',
      per('ConcurrentExecutions', 'Maximum'),
      line(settings.concurrencyLimit * 0.8, '80 % of the limit'),
    ),
  );
  for (const f of functions) {
    const rows = ['p50', 'p95', 'p99'].map((stat) => [
      'AWS/Lambda',
      'Duration',
      'FunctionName',
      f.name,
      { stat, label: stat },
    ]);
    grid.add(
      'metric',
      metricWidget(`Duration ${f.key}`, rows, line(durationBudgetMs(f, settings), 'p95 budget (ms)')),
    );
  }
}

function queueSection(grid: Grid, input: DashboardInput): void {
  const work = input.queues.filter((q) => !q.isDlq);
  const dlqs = input.queues.filter((q) => q.isDlq);
  grid.section('Queues', `${work.length} queues, ${dlqs.length} dead-letter queues.`);
  const per = (queues: readonly QueueInfo[], metric: string): MetricRow[] =>
    queues.map((q) => ['AWS/SQS', metric, 'QueueName', q.name, { stat: 'Maximum', label: q.logicalId }]);
  if (input.queues.length === 0) {
    grid.add('text', { markdown: 'No queues in this stage.' }, 24, 2);
    return;
  }
  grid.add('metric', metricWidget('Messages visible', per(work, 'ApproximateNumberOfMessagesVisible')));
  grid.add('metric', metricWidget('Messages in flight', per(work, 'ApproximateNumberOfMessagesNotVisible')));
  grid.add(
    'metric',
    metricWidget(
      'Age of oldest message (s)',
      per(work, 'ApproximateAgeOfOldestMessage'),
      line(input.settings.queueAgeSecondsThreshold, 'alarm threshold'),
    ),
  );
  grid.add(
    'metric',
    metricWidget('DLQ depth', per(dlqs, 'ApproximateNumberOfMessagesVisible'), line(0, 'any message alarms')),
  );
}

function wardenSections(grid: Grid, input: DashboardInput): void {
  const { settings } = input;
  const stage = STAGE;
  const hourly = { period: 3600 };
  grid.section(
    'Backups',
    'Per database (dbIdentifier) and per kind (RDS, DynamoDB, ElastiCache, S3, AWS Backup); drills report their time to recover.',
  );
  grid.add(
    'metric',
    metricWidget('Snapshot age (h)', [search('SnapshotAgeHours', 'Maximum', 3600, 'age')], {
      ...hourly,
      ...line(settings.rpoHours, 'RPO (h)'),
    }),
  );
  grid.add(
    'metric',
    metricWidget(
      'Backup compliant (1 = yes)',
      [search('BackupCompliant', 'Minimum', 3600, 'compliant')],
      hourly,
    ),
  );
  // One compliance widget per kind of the backupVerify catalog: non-compliant and unverified resources.
  for (const kind of KIND_NAMES)
    grid.add(
      'metric',
      metricWidget(
        `Backup compliance: ${kind}`,
        [
          search('BackupNonCompliant', 'Maximum', 3600, `nc_${kind}`, ` kind="${kind}"`),
          search('BackupUnverified', 'Maximum', 3600, `uv_${kind}`, ` kind="${kind}"`),
        ],
        { ...hourly, ...line(0, 'goal') },
      ),
    );
  grid.add(
    'metric',
    metricWidget(
      'Restore drill RTO (s) and result',
      [
        search('RestoreDrillRtoSeconds', 'Maximum', 3600, 'rto'),
        search('RestoreDrillPassed', 'Minimum', 3600, 'passed'),
      ],
      {
        ...hourly,
        ...line(settings.drillRtoBudgetSeconds, 'RTO budget (s)'),
      },
    ),
  );
  grid.section('Secrets', 'Rotation schedule and failures.');
  grid.add(
    'metric',
    metricWidget(
      'Secrets due for rotation',
      [search('SecretsDueForRotation', 'Maximum', 3600, 'due')],
      hourly,
    ),
  );
  grid.add(
    'metric',
    metricWidget('Secrets overdue', [search('SecretsOverdue', 'Maximum', 3600, 'overdue')], hourly),
  );
  grid.add(
    'metric',
    metricWidget(
      'Rotation failures',
      [
        search('SecretsRotationFailed', 'Maximum', 3600, 'failed'),
        warden('RotationStepsFailed', 'rotateSecret', stage, 'Sum'),
      ],
      hourly,
    ),
  );
  grid.section('Cost', 'Daily spend against the daily budget; projection against the monthly budget.');
  const daily = { period: 86400 };
  grid.add(
    'metric',
    metricWidget('Daily spend (USD)', [warden('DailySpendUsd', 'costAnomaly', stage, 'Maximum')], {
      ...daily,
      ...line(settings.dailyBudgetUsd, 'daily budget'),
    }),
  );
  grid.add(
    'metric',
    metricWidget('Projected month (USD)', [warden('ProjectedMonthUsd', 'costAnomaly', stage, 'Maximum')], {
      ...daily,
      ...line(settings.monthlyBudgetUsd, 'monthly budget'),
    }),
  );
  grid.add(
    'metric',
    metricWidget('Cost anomalies', [warden('CostAnomalies', 'costAnomaly', stage, 'Sum')], daily),
  );
  grid.add(
    'metric',
    metricWidget('Money at stake (USD)', [warden('CostAtStakeUsd', 'costAnomaly', stage, 'Maximum')], daily),
  );
  grid.section('Rollbacks and findings', 'Skipped rollbacks carry their reason.');
  grid.add(
    'metric',
    metricWidget('Rollbacks performed / failed', [
      warden('RollbacksPerformed', 'autoRollback', stage, 'Sum'),
      warden('RollbacksFailed', 'autoRollback', stage, 'Sum'),
    ]),
  );
  grid.add(
    'metric',
    metricWidget('Rollbacks skipped (by reason)', [search('RollbacksSkipped', 'Sum', 300, 'skipped')]),
  );
  grid.add(
    'metric',
    metricWidget(
      'Findings published, notifications sent / suppressed',
      [
        search('FindingsPublished', 'Sum', 3600, 'findings'),
        search('NotificationsSent', 'Sum', 3600, 'sent'),
        search('NotificationsSuppressed', 'Sum', 3600, 'suppressed'),
      ],
      hourly,
    ),
  );
  grid.add(
    'metric',
    metricWidget('Open findings (by severity)', [search('OpenFindings', 'Maximum', 3600, 'open')], hourly),
  );
}

function alarmSection(grid: Grid, input: DashboardInput): void {
  grid.section('Alarms', `${input.alarmIds.length} alarms, all notifying the alerts topic.`);
  // An alarm status widget shows at most 100 alarms.
  for (let i = 0; i < input.alarmIds.length; i += 100) {
    const alarms = input.alarmIds.slice(i, i + 100).map((id) => `\${${id}.Arn}`);
    grid.add('alarm', { title: 'Alarm status', alarms, sortBy: 'stateUpdatedTimestamp' }, 24, 8);
  }
}

/**
 * The stage dashboard: Lambda, queues, backups, secrets, cost, rollbacks and alarms. Strings carry Fn::Sub
 * placeholders (`${AWS::Region}`, `${Stage}`, `${Queue.QueueName}`, `${Alarm.Arn}`) that `toSub` turns into CloudFormation.
 */
export function buildDashboard(input: DashboardInput): DashboardBody {
  const grid = new Grid();
  lambdaSection(grid, input);
  queueSection(grid, input);
  wardenSections(grid, input);
  alarmSection(grid, input);
  return { start: '-PT24H', periodOverride: 'inherit', widgets: grid.widgets };
}

/** The body as a CloudFormation `Fn::Sub` with the stage filled in (the only placeholder not known to CloudFormation). */
export function toSub(body: DashboardBody, stage: string): { 'Fn::Sub': string } {
  return { 'Fn::Sub': JSON.stringify(body).replaceAll(STAGE, stage) };
}
