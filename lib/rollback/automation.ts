import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { Automation } from '../automations/types.js';
import { probeAlarms } from '../aws/cloudwatch.js';
import { createStateStore } from '../aws/stateStore.js';
import { describeError } from '../errors.js';
import { type Finding, makeFinding } from '../findings/finding.js';
import { AUTOMATION } from './decision.js';
import { observeAlias } from './knownGood.js';
import { type RollbackOptions, rollbackOptionsSchema } from './options.js';
import { parseTargetSpec, targetArn, targetKey } from './target.js';

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
    const deps = { store, table, now: ctx.now, healthyMinutes: options.healthyMinutes };
    const findings: Finding[] = [];
    const observations: Record<string, string> = {};
    for (const spec of options.allowedTargets.filter((s) => !s.includes('*'))) {
      const t = parseTargetSpec(spec);
      if (t?.kind !== 'lambda') continue;
      const key = targetKey(t);
      const base = { automation: AUTOMATION, account: ctx.target.account, region: ctx.target.region };
      const resourceArn = targetArn(t, ctx.target);
      try {
        const seen = await observeAlias(deps, ctx.aws.get(LambdaClient), ctx.target, t);
        observations[key] = `${seen.observation}:${seen.version}`;
        if (seen.observation === 'recorded') {
          findings.push(
            makeFinding({
              ...base,
              check: 'known-good-recorded',
              severity: 'info',
              resourceArn,
              title: `${key}: version ${seen.version} recorded as last known good`,
              detail: { target: key, version: seen.version },
              observedAt: ctx.now(),
              dryRun: ctx.dryRun,
            }),
          );
        }
      } catch (err) {
        observations[key] = 'error';
        findings.push(
          makeFinding({
            ...base,
            check: 'known-good-watch-failed',
            severity: 'medium',
            resourceArn,
            title: `${key}: cannot observe the alias (${describeError(err)})`.slice(0, 300),
            detail: { target: key, error: describeError(err) },
            observedAt: ctx.now(),
            dryRun: ctx.dryRun,
          }),
        );
      }
    }
    const recorded = findings.filter((f) => f.check === 'known-good-recorded').length;
    return {
      findings,
      report: { watched: Object.keys(observations).length, observations },
      summary: `watched ${Object.keys(observations).length} aliases, ${recorded} new last known good`,
    };
  },
};
