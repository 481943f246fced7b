// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are CloudFormation Fn::Sub placeholders
import { describe, expect, it } from 'vitest';
import { buildDashboard, toSub } from '../../../lib/dashboards/body.js';
import { widgetMetrics } from '../../../lib/dashboards/inspect.js';
import { FUNCTIONS, SETTINGS } from './fixtures.js';

const QUEUES = [
  { logicalId: 'WorkQueue', name: 'warden-test-work', isDlq: false },
  { logicalId: 'WorkDlq', name: '${WorkDlq.QueueName}', isDlq: true },
];

describe('Function: buildDashboard', () => {
  it('lays out every section with per-function widgets inside a 24-column grid', () => {
    // Act
    const body = buildDashboard({
      settings: SETTINGS,
      functions: FUNCTIONS,
      queues: QUEUES,
      alarmIds: ['A', 'B'],
    });

    // Assess
    const sections = body.widgets
      .filter((w) => w.type === 'text')
      .map((w) => String(w.properties.markdown).split('\n')[0]);
    expect(sections).toEqual([
      '## Lambda',
      '## Queues',
      '## Backups',
      '## Secrets',
      '## Cost',
      '## Rollbacks and findings',
      '## Alarms',
    ]);
    expect(body.widgets.every((w) => w.x + w.width <= 24)).toBe(true);
    const durations = body.widgets.filter((w) => String(w.properties.title).startsWith('Duration '));
    expect(durations.map((w) => w.properties.annotations)).toEqual([
      { horizontal: [{ value: 24_000, label: 'p95 budget (ms)' }] },
      { horizontal: [{ value: 600_000, label: 'p95 budget (ms)' }] },
    ]);
    const dlq = body.widgets.find((w) => w.properties.title === 'DLQ depth');
    expect(dlq?.properties.metrics).toEqual([
      [
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        'QueueName',
        '${WorkDlq.QueueName}',
        { stat: 'Maximum', label: 'WorkDlq' },
      ],
    ]);
    const alarm = body.widgets.find((w) => w.type === 'alarm');
    expect(alarm?.properties.alarms).toEqual(['${A.Arn}', '${B.Arn}']);
  });

  it('says so when a stage has no queues and splits alarm widgets at 100 alarms', () => {
    // Prepare
    const alarmIds = Array.from({ length: 150 }, (_, i) => `Alarm${i}`);

    // Act
    const body = buildDashboard({ settings: SETTINGS, functions: [], queues: [], alarmIds });

    // Assess
    expect(body.widgets.some((w) => w.properties.markdown === 'No queues in this stage.')).toBe(true);
    expect(
      body.widgets.filter((w) => w.type === 'alarm').map((w) => (w.properties.alarms as string[]).length),
    ).toEqual([100, 50]);
  });

  it('reads per-database and per-reason metrics through SEARCH over the stage', () => {
    // Act
    const body = buildDashboard({ settings: SETTINGS, functions: [], queues: [], alarmIds: [] });
    const age = body.widgets.find((w) => w.properties.title === 'Snapshot age (h)');

    // Assess
    expect(age?.properties.metrics).toEqual([
      [
        {
          expression: `SEARCH('Namespace="Warden" MetricName="SnapshotAgeHours" stage="\${Stage}"', 'Maximum', 3600)`,
          id: 'age',
          label: 'SnapshotAgeHours',
        },
      ],
    ]);
    expect(widgetMetrics(age as never)).toEqual([{ namespace: 'Warden', name: 'SnapshotAgeHours' }]);
  });

  it('gives every kind of the backup catalog its own compliance widget, filtered on its kind', () => {
    // Act
    const body = buildDashboard({ settings: SETTINGS, functions: [], queues: [], alarmIds: [] });
    const titles = body.widgets
      .map((w) => w.properties.title)
      .filter((t) => String(t).startsWith('Backup compliance: '));
    const s3 = body.widgets.find((w) => w.properties.title === 'Backup compliance: s3');

    // Assess
    expect(titles).toEqual([
      'Backup compliance: rds',
      'Backup compliance: dynamodb',
      'Backup compliance: elasticache',
      'Backup compliance: s3',
      'Backup compliance: backup',
    ]);
    const rows = s3?.properties.metrics as { expression: string }[][];
    expect(rows.map((r) => r[0]?.expression)).toEqual([
      `SEARCH('Namespace="Warden" MetricName="BackupNonCompliant" stage="\${Stage}" kind="s3"', 'Maximum', 3600)`,
      `SEARCH('Namespace="Warden" MetricName="BackupUnverified" stage="\${Stage}" kind="s3"', 'Maximum', 3600)`,
    ]);
  });
});

describe('Function: toSub', () => {
  it('fills the stage and leaves CloudFormation placeholders to Fn::Sub', () => {
    // Act
    const sub = toSub(
      buildDashboard({ settings: SETTINGS, functions: [], queues: [], alarmIds: [] }),
      'prod',
    );

    // Assess
    expect(sub['Fn::Sub']).not.toContain('${Stage}');
    expect(sub['Fn::Sub']).toContain('stage=\\"prod\\"');
    expect(sub['Fn::Sub']).toContain('"region":"${AWS::Region}"');
  });
});
