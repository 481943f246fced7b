import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import * as v from 'valibot';
import type { Automation } from '../../lib/automations/types.js';
import { makeFinding } from '../../lib/findings/finding.js';
import { number, strictObject } from '../../lib/schemas.js';

/** A small automation for exercising the fan-out: one RDS call, one finding per unit. */
export const fakeAutomation: Automation<{ limit?: number }> = {
  name: 'backupVerify',
  description: 'test automation',
  options: strictObject({ limit: v.optional(number) }),
  permissions: ['rds:DescribeDBInstances'],
  mutatingPermissions: [],
  schedule: 'rate(6 hours)',
  async probe(aws) {
    await aws.get(RDSClient).send(new DescribeDBInstancesCommand({ MaxRecords: 20 }));
  },
  async run(ctx, options) {
    const out = await ctx.aws
      .get(RDSClient)
      .send(new DescribeDBInstancesCommand({ MaxRecords: options.limit ?? 100 }));
    const findings = (out.DBInstances ?? []).map((db) =>
      makeFinding({
        automation: 'backupVerify',
        check: 'fake',
        severity: 'low',
        account: ctx.target.account,
        region: ctx.target.region,
        resourceArn: db.DBInstanceArn ?? 'unknown',
        title: `seen ${db.DBInstanceIdentifier}`,
        observedAt: ctx.now(),
        dryRun: ctx.dryRun,
      }),
    );
    ctx.metrics.add('FakeRuns', 'Count', 1);
    return { findings, report: { seen: findings.length }, summary: `${findings.length} databases` };
  },
};
