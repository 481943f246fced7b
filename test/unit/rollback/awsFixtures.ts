import { readFileSync } from 'node:fs';
import { DescribeAlarmsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { GetDeploymentGroupCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import type { AwsStub } from 'aws-sdk-client-mock';
import { EXAMPLES } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: recorded SDK responses, typed by the command they answer
type Recorded = Record<string, any>;

/** The recorded responses of examples/rollback/aws.json, with timestamps revived as the SDK returns them. */
export function recorded(): {
  cloudwatch: Recorded;
  lambda: Recorded;
  codedeploy: Recorded;
  state: Recorded;
} {
  return JSON.parse(readFileSync(new URL('aws.json', EXAMPLES), 'utf8'), (key, value) =>
    /Timestamp$|Time$/.test(key) && typeof value === 'string' ? new Date(value) : value,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub type is generic over each client
type Stub = AwsStub<any, any, any>;

/** Replays the recorded reads: alarms, tags, aliases, versions, deployment groups. */
// biome-ignore-start lint/suspicious/noExplicitAny: recorded responses
export function replayReads(stubs: { cw: Stub; lambda: Stub; cd: Stub }, data = recorded()): void {
  for (const [name, out] of Object.entries<any>(data.cloudwatch.DescribeAlarms ?? {})) {
    stubs.cw.on(DescribeAlarmsCommand, { AlarmNames: [name] }).resolves(out);
  }
  for (const [arn, out] of Object.entries<any>(data.cloudwatch.ListTagsForResource ?? {})) {
    stubs.cw.on(ListTagsForResourceCommand, { ResourceARN: arn }).resolves(out);
  }
  for (const [key, out] of Object.entries<any>(data.lambda.GetAlias ?? {})) {
    const [fn, alias] = key.split(':');
    stubs.lambda.on(GetAliasCommand, { FunctionName: fn, Name: alias }).resolves(out);
  }
  for (const [fn, out] of Object.entries<any>(data.lambda.ListVersionsByFunction ?? {})) {
    stubs.lambda.on(ListVersionsByFunctionCommand, { FunctionName: fn }).resolves(out);
  }
  for (const [key, out] of Object.entries<any>(data.codedeploy.ListDeployments ?? {})) {
    const [app, group] = key.split('/');
    stubs.cd.on(ListDeploymentsCommand, { applicationName: app, deploymentGroupName: group }).resolves(out);
  }
  for (const [key, out] of Object.entries<any>(data.codedeploy.GetDeploymentGroup ?? {})) {
    const [app, group] = key.split('/');
    stubs.cd
      .on(GetDeploymentGroupCommand, { applicationName: app, deploymentGroupName: group })
      .resolves(out);
  }
}
// biome-ignore-end lint/suspicious/noExplicitAny: recorded responses
