import type { Automation, AutomationContext } from '../automations/types.js';
import { LIFECYCLE_AUTOMATION, runLifecycle } from './lifecycle.js';
import { type LifecycleOptions, lifecycleOptionsSchema } from './options.js';
import { probe, READ, rdsApisFor } from './rdsAccess.js';

/** In its own module so that the backupVerify worker bundle carries none of the lifecycle code. */
const LIFECYCLE_WRITE = [
  'rds:CreateDBSnapshot',
  'rds:CreateDBClusterSnapshot',
  'rds:CopyDBSnapshot',
  'rds:CopyDBClusterSnapshot',
  'rds:DeleteDBSnapshot',
  'rds:DeleteDBClusterSnapshot',
  'rds:AddTagsToResource',
  'kms:CreateGrant',
];

export const snapshotLifecycleAutomation: Automation<LifecycleOptions> = {
  name: LIFECYCLE_AUTOMATION,
  description:
    'Creates, copies to the DR region and prunes warden-managed snapshots (warden:snapshots=managed).',
  options: lifecycleOptionsSchema,
  permissions: [...READ, ...LIFECYCLE_WRITE, 'kms:DescribeKey'],
  mutatingPermissions: LIFECYCLE_WRITE,
  schedule: 'rate(1 day)',
  probe,
  run(ctx: AutomationContext, options: LifecycleOptions) {
    const apis = rdsApisFor(ctx.aws, ctx.config.awsMaxAttempts, options.drRegion);
    return runLifecycle(
      { ...apis, target: ctx.target, now: ctx.now, logger: ctx.logger, dryRun: ctx.dryRun },
      options,
    );
  },
};
