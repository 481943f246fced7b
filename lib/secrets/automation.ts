import {
  ListSecretsCommand,
  type SecretListEntry,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import type { Automation, AutomationContext, AutomationResult } from '../automations/types.js';
import { listSecrets, versionDates } from '../aws/secretsManager.js';
import type { StateTable } from '../aws/stateStore.js';
import { describeError } from '../errors.js';
import { type Finding, makeFinding, type Severity } from '../findings/finding.js';
import { memoryStateStore } from '../runtime/memoryStateStore.js';
import { int, number, strictObject } from '../schemas.js';
import { dueOf, type ExpiryOptions, failureOf, pendingVersion, warningTier } from './expiry.js';
import { type WarningLedger, warningLedger } from './warningLedger.js';

export const SECRET_EXPIRY = 'secretExpiry';

export const secretExpiryOptions = strictObject({
  defaultMaxAgeDays: v.optional(v.pipe(int, v.minValue(1), v.maxValue(3650))),
  warnDays: v.optional(
    v.pipe(v.array(v.pipe(int, v.minValue(1), v.maxValue(365))), v.minLength(1), v.maxLength(5)),
  ),
  /** Accepted and ignored (flags written for older versions carry it): warnings are remembered, not timed. */
  runIntervalHours: v.optional(v.pipe(number, v.minValue(1), v.maxValue(168))),
  pendingMaxAgeHours: v.optional(v.pipe(number, v.minValue(1), v.maxValue(720))),
});
export type SecretExpiryOptions = v.InferOutput<typeof secretExpiryOptions>;

export const DEFAULT_EXPIRY_OPTIONS: ExpiryOptions = {
  defaultMaxAgeDays: 90,
  warnDays: [7, 3, 1],
  pendingMaxAgeHours: 24,
};

/** The two reads, injected (the demo replays saved responses through them). */
export interface ExpiryReads {
  listSecrets(): AsyncIterable<SecretListEntry[]>;
  versionDates(secretId: string): Promise<Record<string, Date | undefined>>;
}

export type ExpiryDeps = Pick<AutomationContext, 'target' | 'now' | 'logger' | 'metrics' | 'dryRun'> & {
  reads: ExpiryReads;
  /** Which warnings were sent already: the state table at the edge; default, this run only (in memory). */
  warnings?: WarningLedger;
};

/** The reads through a Secrets Manager client. */
export function secretsManagerReads(sm: SecretsManagerClient): ExpiryReads {
  return { listSecrets: () => listSecrets(sm), versionDates: (id) => versionDates(sm, id) };
}

/** A state table in memory: warnings remembered by this one store only (the demo, a CLI without the table). */
export function memoryWarnings(now: () => Date): StateTable {
  return { store: memoryStateStore(now), table: 'memory' };
}

const HOUR_MS = 3_600_000;
const SUSPECT_CONCURRENCY = 5;
const shortName = (entry: SecretListEntry) => (entry.Name ?? entry.ARN ?? '?').slice(0, 120);
const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Lists every secret (100 per call, no per-secret call) and reports those due within the warning days (the tier
 * each is in, once per due date: see `warningTier`), overdue ones, and those whose last rotation failed (an AWSPENDING version older than
 * `pendingMaxAgeHours`: one ListSecretVersionIds call per such suspect only).
 */
export async function runSecretExpiry(
  deps: ExpiryDeps,
  given: SecretExpiryOptions = {},
): Promise<AutomationResult> {
  const { runIntervalHours: _ignored, ...chosen } = given;
  const options: ExpiryOptions = { ...DEFAULT_EXPIRY_OPTIONS, ...chosen };
  const warnings = deps.warnings ?? warningLedger(memoryWarnings(deps.now), deps.now);
  const now = deps.now();
  const findings: Finding[] = [];
  const finding = (
    check: string,
    severity: Severity,
    arn: string,
    title: string,
    detail: Finding['detail'],
  ) =>
    findings.push(
      makeFinding({
        automation: SECRET_EXPIRY,
        check,
        severity,
        account: deps.target.account,
        region: deps.target.region,
        resourceArn: arn,
        title,
        detail,
        observedAt: now,
        dryRun: deps.dryRun,
      }),
    );
  const counts = {
    secrets: 0,
    due: 0,
    warnedNow: 0,
    warnedBefore: 0,
    shortInterval: 0,
    overdue: 0,
    rotationFailed: 0,
    undated: 0,
  };
  const maxWarn = Math.max(...options.warnDays);
  const suspects: { entry: SecretListEntry; version: string }[] = [];

  try {
    for await (const page of deps.reads.listSecrets()) {
      for (const entry of page) {
        counts.secrets++;
        const arn = entry.ARN ?? entry.Name ?? 'unknown';
        const pending = pendingVersion(entry);
        if (pending) suspects.push({ entry, version: pending });
        const due = dueOf(entry, options, now);
        if (!due) {
          counts.undated++;
          continue;
        }
        const detail = {
          name: entry.Name ?? null,
          dueDate: due.dueDate.toISOString(),
          daysLeft: round1(due.daysLeft),
          basis: due.basis,
          intervalDays: due.intervalDays,
          rotationEnabled: entry.RotationEnabled === true,
          ...(due.badTag ? { invalidMaxAgeTag: due.badTag } : {}),
        };
        if (due.daysLeft <= 0) {
          counts.overdue++;
          finding(
            'overdue',
            'high',
            arn,
            `Secret ${shortName(entry)} is ${Math.max(1, Math.ceil(-due.daysLeft))} day(s) past its ${due.basis === 'rotation' ? 'rotation' : 'maximum age'} date`,
            detail,
          );
        } else if (due.daysLeft <= maxWarn) {
          const threshold = warningTier(due, options.warnDays);
          if (threshold === undefined)
            counts.shortInterval++; // its interval is shorter than the tier it is in
          else if (!(await warnings.claim({ secretArn: arn, dueDate: due.dueDate, tier: threshold })))
            counts.warnedBefore++;
          else {
            counts.warnedNow++;
            finding(
              `due-in-${threshold}d`,
              threshold <= 1 ? 'medium' : 'low',
              arn,
              `Secret ${shortName(entry)} is due for rotation within ${threshold} day(s)`,
              { ...detail, threshold },
            );
          }
        }
      }
    }
  } catch (err) {
    if (!(err instanceof SecretsManagerServiceException)) throw err;
    finding(
      'cannot-list',
      'high',
      `arn:aws:secretsmanager:${deps.target.region}:${deps.target.account}:secret:*`,
      'Cannot list secrets: expiry was not checked',
      { error: describeError(err) },
    );
  }

  // Version dates of the suspects, a few calls at a time; results are then handled in list order.
  const dated: (Date | undefined | { error: unknown })[] = [];
  for (let i = 0; i < suspects.length; i += SUSPECT_CONCURRENCY) {
    const batch = suspects.slice(i, i + SUSPECT_CONCURRENCY);
    dated.push(
      ...(await Promise.all(
        batch.map(({ entry, version }) =>
          deps.reads.versionDates(entry.ARN ?? entry.Name ?? 'unknown').then(
            (dates) => dates[version],
            (error: unknown) => ({ error }),
          ),
        ),
      )),
    );
  }
  for (const [i, { entry, version }] of suspects.entries()) {
    const arn = entry.ARN ?? entry.Name ?? 'unknown';
    const got = dated[i];
    let created: Date | undefined;
    if (got instanceof Date || got === undefined) created = got;
    else {
      const err = got.error;
      if (!(err instanceof SecretsManagerServiceException)) throw err;
      finding(
        'cannot-check-rotation',
        'medium',
        arn,
        `Cannot check the pending rotation of ${shortName(entry)}`,
        { error: describeError(err) },
      );
      continue;
    }
    const ageHours = created ? (now.getTime() - created.getTime()) / HOUR_MS : undefined;
    if (ageHours !== undefined && ageHours < options.pendingMaxAgeHours) continue; // a rotation in progress
    counts.rotationFailed++;
    const failure = failureOf(entry);
    const cause = failure.kind === 'unknown' ? 'network' : failure.kind;
    const evidence =
      failure.kind === 'unknown'
        ? 'the rotation function recorded no failure: it most likely never reached Secrets Manager (no VPC endpoint or NAT) or was never invoked'
        : `the rotation function recorded a ${failure.kind} failure in ${failure.step} at ${failure.at}`;
    finding(
      'rotation-failed',
      'high',
      arn,
      `Last rotation of ${shortName(entry)} failed (${cause}): AWSPENDING is stuck and blocks every later rotation`,
      {
        name: entry.Name ?? null,
        pendingVersion: version,
        pendingAgeHours: ageHours === undefined ? null : round1(ageHours),
        cause,
        evidence,
        remedy: `warden secret heal ${entry.Name ?? arn}`,
      },
    );
  }

  counts.due = counts.warnedNow + counts.warnedBefore;
  deps.metrics.add('SecretsDueForRotation', 'Count', counts.due);
  deps.metrics.add('SecretsOverdue', 'Count', counts.overdue);
  deps.metrics.add('SecretsRotationFailed', 'Count', counts.rotationFailed);
  deps.logger.info('secret expiry checked', { ...counts, findings: findings.length });
  return {
    findings,
    report: { ...counts, findings: findings.length },
    summary:
      `${counts.secrets} secrets: ${counts.overdue} overdue, ${counts.due} due within ${maxWarn} days ` +
      `(${counts.warnedNow} warned now, ${counts.warnedBefore} warned before for the same tier), ` +
      `${counts.rotationFailed} failed rotation(s)` +
      (counts.shortInterval
        ? `; ${counts.shortInterval} rotating more often than their warning tiers, not warned`
        : ''),
    afterPublish: () => warnings.confirm(),
  };
}

export const secretExpiryAutomation: Automation<SecretExpiryOptions> = {
  name: SECRET_EXPIRY,
  description: 'Secrets due for rotation (7/3/1 days), overdue, or stuck after a failed rotation',
  options: secretExpiryOptions,
  permissions: ['secretsmanager:ListSecrets', 'secretsmanager:ListSecretVersionIds'],
  mutatingPermissions: [],
  // The warnings already sent, in the state table: a conditional put claims one, an update keeps it once sent.
  statePermissions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  schedule: 'cron(0 6 * * ? *)',
  async probe(aws) {
    await aws.get(SecretsManagerClient).send(new ListSecretsCommand({ MaxResults: 1 }));
  },
  run(ctx, options) {
    // Without the state table (a CLI run without WARDEN_STATE_TABLE) warnings are remembered for this run only.
    return runSecretExpiry(
      {
        ...ctx,
        reads: secretsManagerReads(ctx.aws.get(SecretsManagerClient)),
        warnings: warningLedger(ctx.state ?? memoryWarnings(ctx.now), ctx.now),
      },
      options,
    );
  },
};
