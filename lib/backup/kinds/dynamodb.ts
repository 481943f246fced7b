import type { ContinuousBackupsDescription, TableDescription } from '../../aws/dynamodb.js';
import type { KeyManager } from '../../aws/kms.js';
import { describeError } from '../../errors.js';
import { mapLimit } from '../../runtime/mapLimit.js';
import { type CheckResult, freshness, result, skippedResult } from '../checks.js';
import {
  type EvalContext,
  type KindScan,
  type ProtectedItem,
  type ProtectionKind,
  type Requirements,
  type ScanContext,
  tagRecord,
} from './types.js';

/** Tables read at once: the token bucket paces the calls, this only bounds what waits in memory. */
const CONCURRENCY = 16;

export const partitionOf = (region: string) =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';

/** The checks of one table from DescribeTable and DescribeContinuousBackups (pure). */
export function dynamoChecks(
  table: TableDescription,
  backups: ContinuousBackupsDescription | undefined,
  req: Requirements,
  ctx: EvalContext,
  keyManager?: KeyManagerRead,
): CheckResult[] {
  const pitr = backups?.PointInTimeRecoveryDescription;
  const enabled = pitr?.PointInTimeRecoveryStatus === 'ENABLED';
  const checks: CheckResult[] = [
    result(
      'pitr',
      enabled,
      'high',
      enabled ? 'point-in-time recovery is enabled' : 'point-in-time recovery is disabled',
      { status: pitr?.PointInTimeRecoveryStatus ?? 'DISABLED' },
    ),
  ];
  const latest = enabled ? pitr?.LatestRestorableDateTime : undefined;
  checks.push(
    latest
      ? freshness('recovery-point', 'latest restorable time', latest, ctx.now, req.rpoHours, {
          source: 'point-in-time',
        })
      : result(
          'recovery-point',
          false,
          'critical',
          'no restorable point: point-in-time recovery is disabled',
          {
            rpoHours: req.rpoHours,
          },
        ),
  );
  // DynamoDB keeps 35 days when RecoveryPeriodInDays is not reported.
  const days = enabled ? (pitr?.RecoveryPeriodInDays ?? 35) : 0;
  const retention = { recoveryPeriodDays: days, requiredDays: req.retentionDays };
  checks.push(
    result(
      'retention-period',
      days >= req.retentionDays,
      'medium',
      enabled
        ? `point-in-time recovery period ${days} d ${days >= req.retentionDays ? '>=' : '<'} ${req.retentionDays} d`
        : 'no point-in-time recovery period (recovery disabled)',
      retention,
    ),
  );
  const protectedDeletion = table.DeletionProtectionEnabled === true;
  checks.push(
    result(
      'deletion-protection',
      protectedDeletion,
      'medium',
      protectedDeletion ? 'deletion protection is on' : 'deletion protection is off',
      {},
    ),
  );
  checks.push(encryptionCheck(table, ctx.options.dynamodbKms, keyManager));
  const dr = ctx.options.drRegion;
  if (!dr) checks.push(skippedResult('dr-copy', 'no DR region configured'));
  else {
    const replica = table.Replicas?.find((r) => r.RegionName === dr);
    const active = replica?.ReplicaStatus === 'ACTIVE';
    checks.push(
      result(
        'dr-copy',
        active,
        'high',
        active
          ? `global-table replica in ${dr} is ACTIVE`
          : replica
            ? `global-table replica in ${dr} is ${replica.ReplicaStatus}`
            : `no global-table replica in ${dr}`,
        { drRegion: dr, source: 'global-table replica', replicaStatus: replica?.ReplicaStatus ?? null },
      ),
    );
  }
  return checks;
}

/** Who manages the table's KMS key, as read (only with `dynamodbKms: customer`), or why it could not be read. */
export type KeyManagerRead = { manager: KeyManager | undefined } | { error: string };

/** The encryption check: the AWS owned key, an AWS-managed or a customer-managed KMS key, against the option. */
export function encryptionCheck(
  table: TableDescription,
  wanted: 'customer' | 'required' | 'optional',
  keyManager?: KeyManagerRead,
): CheckResult {
  const sse = table.SSEDescription;
  const kms = sse?.SSEType === 'KMS' && sse.Status === 'ENABLED' ? sse.KMSMasterKeyArn : undefined;
  const detail = { sseType: sse?.SSEType ?? 'AWS_OWNED', kmsKeyArn: kms ?? null, required: wanted };
  if (!kms) {
    const why =
      wanted === 'customer'
        ? ' (a customer-managed KMS key is required)'
        : wanted === 'required'
          ? ' (a KMS key, AWS or customer managed, is required)'
          : '';
    return result(
      'encryption',
      wanted === 'optional',
      'medium',
      `encrypted with the AWS owned key${why}`,
      detail,
    );
  }
  const key = kms.split('/').pop();
  if (wanted !== 'customer')
    return result('encryption', true, 'medium', `encrypted with KMS key ${key}`, detail);
  if (!keyManager || 'error' in keyManager) {
    const why = `who manages KMS key ${key} could not be read: ${keyManager && 'error' in keyManager ? keyManager.error : 'not asked'}`;
    return {
      check: 'encryption',
      status: 'error',
      reason: why,
      severity: 'medium',
      detail: { ...detail, error: why },
    };
  }
  const customer = keyManager.manager === 'CUSTOMER';
  return result(
    'encryption',
    customer,
    'medium',
    customer
      ? `encrypted with customer-managed KMS key ${key}`
      : `encrypted with AWS-managed KMS key ${key} (a customer-managed key is required)`,
    { ...detail, keyManager: keyManager.manager ?? null },
  );
}

const unreadable = (why: string): CheckResult[] =>
  (
    ['pitr', 'recovery-point', 'retention-period', 'deletion-protection', 'encryption', 'dr-copy'] as const
  ).map((check) => ({ check, status: 'error', reason: why, severity: 'high', detail: { error: why } }));

/** With `dynamodbKms: customer`, who manages the table's KMS key (DescribeKey, once per key and run). */
async function managerOf(ctx: ScanContext, table: TableDescription): Promise<KeyManagerRead | undefined> {
  const sse = table.SSEDescription;
  const key = sse?.SSEType === 'KMS' && sse.Status === 'ENABLED' ? sse.KMSMasterKeyArn : undefined;
  if (ctx.options.dynamodbKms !== 'customer' || !key) return undefined;
  if (!ctx.apis.kms) return { error: 'no KMS client' };
  try {
    return { manager: await ctx.apis.kms.keyManager(key) };
  } catch (err) {
    return { error: describeError(err).slice(0, 300) };
  }
}

/** DynamoDB tables: ListTables, then per table its tags and, when it is checked, two describes. */
export const dynamodbKind: ProtectionKind = {
  name: 'dynamodb',
  description:
    'DynamoDB tables: point-in-time recovery, its recovery period, deletion protection, KMS, DR replica',
  checks: ['pitr', 'recovery-point', 'retention-period', 'deletion-protection', 'encryption', 'dr-copy'],
  permissions: [
    'dynamodb:ListTables',
    'dynamodb:DescribeTable',
    'dynamodb:DescribeContinuousBackups',
    'dynamodb:ListTagsOfResource',
    // With `dynamodbKms: customer` only: who manages a table's key.
    'kms:DescribeKey',
  ],
  ready: (apis) => apis.dynamodb !== undefined,
  async scan(ctx): Promise<KindScan> {
    const api = ctx.apis.dynamodb;
    if (!api) return { items: [], failures: [] };
    const out: KindScan = { items: [], failures: [] };
    let names: string[];
    try {
      names = await api.listTableNames();
    } catch (err) {
      out.failures.push({ kind: 'dynamodb', scope: 'tables', region: api.region, error: describeError(err) });
      return out;
    }
    const { account, region } = ctx.target;
    const found = await mapLimit(names, CONCURRENCY, async (name): Promise<ProtectedItem | undefined> => {
      const arn = `arn:${partitionOf(region)}:dynamodb:${region}:${account}:table/${name}`;
      const base = { kind: 'dynamodb', id: name, arn, engine: 'dynamodb' };
      let tags: Record<string, string> | undefined;
      let tagError: string | undefined;
      try {
        tags = tagRecord(await api.listTags(arn));
      } catch (err) {
        tagError = describeError(err);
      }
      if (tags && !ctx.wanted('dynamodb', tags)) {
        return { ...base, tags, evaluate: () => [] };
      }
      try {
        const [table, backups] = await Promise.all([
          api.describeTable(name),
          api.describeContinuousBackups(name),
        ]);
        if (!table) return undefined; // deleted since it was listed
        const keyManager = await managerOf(ctx, table);
        return {
          ...base,
          arn: table.TableArn ?? arn,
          tags,
          tagError,
          evaluate: (req, ectx) => dynamoChecks(table, backups, req, ectx, keyManager),
        };
      } catch (err) {
        const why = `table could not be described: ${describeError(err)}`;
        return { ...base, tags, tagError, evaluate: () => unreadable(why) };
      }
    });
    out.items.push(...found.filter((i): i is ProtectedItem => i !== undefined));
    return out;
  },
};
