import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Automation } from '../automations/types.js';
import { probeAlarms } from '../aws/cloudwatch.js';
import { createStateStore } from '../aws/stateStore.js';
import { AUTOMATION } from './decision.js';
import { watchAliases } from './knownGood.js';
import { type RollbackOptions, rollbackOptionsSchema } from './options.js';

export const ROLLBACK_READ_PERMISSIONS = [
  'cloudwatch:DescribeAlarms',
  'cloudwatch:ListTagsForResource',
  'lambda:GetAlias',
  'lambda:ListVersionsByFunction',
  'codedeploy:GetDeploymentGroup',
  'codedeploy:ListDeployments',
  'codedeploy:GetDeployment',
  'codedeploy:BatchGetDeployments',
] as const;

export const ROLLBACK_MUTATING_PERMISSIONS = [
  'lambda:UpdateAlias',
  'codedeploy:StopDeployment',
  'codedeploy:CreateDeployment',
  'codedeploy:GetDeploymentConfig',
  'codedeploy:GetApplicationRevision',
  'codedeploy:RegisterApplicationRevision',
] as const;

/**
 * The alarm-driven rollback itself runs from the EventBridge rule (functions/auto-rollback.ts). This scheduled
 * part watches the allow-listed Lambda aliases and records each version that stayed healthy as last known good.
 */
export const rollbackAutomation: Automation<RollbackOptions> = {
  name: AUTOMATION,
  description:
    'Alarm-driven rollback of Lambda aliases and CodeDeploy deployments; records last known good versions',
  options: rollbackOptionsSchema,
  permissions: [...ROLLBACK_READ_PERMISSIONS, ...ROLLBACK_MUTATING_PERMISSIONS],
  mutatingPermissions: [...ROLLBACK_MUTATING_PERMISSIONS],
  schedule: 'rate(5 minutes)',
  probe: (aws) => probeAlarms(aws.get(CloudWatchClient)),
  async run(ctx, options) {
    const table = ctx.config.stateTable;
    const home = ctx.config.homeAccount;
    // The state table lives in the home account; ctx.aws holds the target account's clients.
    if (!table || (home !== undefined && ctx.target.account !== home)) {
      const why = table ? 'state table is in the home account' : 'WARDEN_STATE_TABLE is not set';
      return {
        findings: [],
        report: { watched: 0, skipped: why },
        summary: `known-good watch skipped: ${why}`,
      };
    }
    const store = createStateStore(ctx.aws.get(DynamoDBClient), ctx.now);
    const deps = { store, table, now: ctx.now, healthyMinutes: options.healthyMinutes, dryRun: ctx.dryRun };
    const { findings, observations } = await watchAliases(
      deps,
      ctx.aws.get(LambdaClient),
      ctx.target,
      options.allowedTargets,
    );
    const recorded = findings.filter((f) => f.check === 'known-good-recorded').length;
    return {
      findings,
      report: { watched: Object.keys(observations).length, observations },
      summary: `watched ${Object.keys(observations).length} aliases, ${recorded} new last known good`,
    };
  },
};
