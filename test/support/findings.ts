import { type Finding, makeFinding } from '../../lib/findings/finding.js';

/** A valid finding with overridable fields. */
export function aFinding(overrides: Partial<Parameters<typeof makeFinding>[0]> = {}): Finding {
  return makeFinding({
    automation: 'backupVerify',
    check: 'rpo',
    severity: 'high',
    account: '111111111111',
    region: 'eu-west-1',
    resourceArn: 'arn:aws:rds:eu-west-1:111111111111:db:orders',
    title: 'orders: newest restorable point is 30.0 h old (RPO 24 h)',
    detail: { ageHours: 30, limitHours: 24 },
    observedAt: new Date('2026-11-26T08:00:00Z'),
    dryRun: false,
    ...overrides,
  });
}

/** An SQS event carrying the given bodies, as Lambda delivers it. */
export function sqsEvent(bodies: readonly { id: string; body: string; receives?: number }[]) {
  return {
    Records: bodies.map((b) => ({
      messageId: b.id,
      receiptHandle: `rh-${b.id}`,
      body: b.body,
      attributes: {
        ApproximateReceiveCount: String(b.receives ?? 1),
        SentTimestamp: '0',
        SenderId: 'x',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111111111111:q',
      awsRegion: 'eu-west-1',
    })),
  };
}

export const lambdaContext = {
  awsRequestId: 'req-1',
  functionName: 'warden-dev-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111111111111:function:warden-dev-test',
  memoryLimitInMB: '512',
  logGroupName: '/aws/lambda/warden-dev-test',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
};
