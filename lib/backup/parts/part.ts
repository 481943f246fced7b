import type { Automation, AutomationContext } from '../../automations/types.js';
import type { AwsClients } from '../../aws/clients.js';
import { ExecutionError } from '../../errors.js';
import { type ApiFactory, throttleCounter } from '../apis.js';
import { backupKind } from '../kinds/awsBackup.js';
import type { ProtectionKind } from '../kinds/types.js';
import { type VerifyOptions, verifyOptionsSchema } from '../options.js';
import { VERIFY_AUTOMATION, verifyKinds } from '../verifyKinds.js';

/** One cheap read of a service, for selfcheck: [service, read]. */
export type ProbeRead = readonly [string, (aws: AwsClients) => Promise<unknown>];

/** What a worker part of backupVerify checks, with the adapters and probe reads its kinds need. */
export interface VerifyPart {
  /** Unset: the first part (WORKER_PARTS). */
  part?: string;
  /** Its kinds, in the catalog's order (lib/backup/catalog.ts). */
  kinds: readonly ProtectionKind[];
  apis: ApiFactory;
  probes: readonly ProbeRead[];
  /**
   * AWS Backup's evidence for its kinds: `false` when AWS Backup protects none of them (caches), or only the
   * recovery points of one resource type (`S3`); default every type.
   */
  evidence?: false | { resourceType: string };
}

const DESCRIPTION =
  'Verifies RDS, Aurora, DynamoDB, ElastiCache, S3 and AWS Backup protected resources can be restored within their RPO.';

/**
 * Every probe read is made, so selfcheck names every missing permission at once instead of the first.
 */
export const probeAll = (reads: readonly ProbeRead[]) => async (aws: AwsClients) => {
  const results = await Promise.allSettled(reads.map(([, read]) => read(aws)));
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected'
      ? [`${reads[i]?.[0]}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`]
      : [],
  );
  if (failed.length > 0) throw new ExecutionError(`backupVerify reads refused: ${failed.join('; ')}`);
};

/**
 * backupVerify over the kinds of one part: the run's selected kinds narrowed to the part's, the others left to the
 * worker that checks them. Its permissions are its kinds' reads and AWS Backup's (whose evidence its kinds use).
 */
export function verifyAutomation(def: VerifyPart): Automation<VerifyOptions> {
  const names = def.kinds.map((k) => k.name);
  const evidence = def.evidence === false ? [] : [backupKind];
  const permissions = [...new Set([...def.kinds, ...evidence].flatMap((k) => k.permissions))];
  return {
    name: VERIFY_AUTOMATION,
    ...(def.part ? { part: def.part } : {}),
    description: DESCRIPTION,
    options: verifyOptionsSchema,
    permissions,
    mutatingPermissions: [],
    schedule: 'rate(6 hours)',
    probe: probeAll(def.probes),
    run(ctx: AutomationContext, options: VerifyOptions) {
      const kinds = options.kinds.filter((k) => names.includes(k));
      const elsewhere = options.kinds.filter((k) => !names.includes(k));
      const throttles = throttleCounter();
      // A part none of whose kinds is selected reads nothing and reports no resource.
      const apis =
        kinds.length === 0
          ? {}
          : def.apis({
              aws: ctx.aws,
              maxAttempts: ctx.config.awsMaxAttempts,
              kinds,
              drRegion: options.drRegion,
              throttles,
            });
      return verifyKinds(
        def.kinds,
        {
          ...apis,
          throttled: throttles.count,
          target: ctx.target,
          now: ctx.now,
          metrics: ctx.metrics,
          logger: ctx.logger,
          dryRun: ctx.dryRun,
          defaultRpoHours: ctx.config.rpoHours,
          elsewhere,
          ...(def.evidence ? { evidenceType: def.evidence.resourceType } : {}),
        },
        { ...options, kinds },
      );
    },
  };
}
