import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LoggerLike } from '../automations/types.js';
import type { Target } from '../aws/clients.js';
import {
  describeSecret,
  getSecretString,
  type SecretMetadata,
  startRotation,
  untagSecret,
  updateStage,
} from '../aws/secretsManager.js';
import { type Finding, type FindingAction, makeFinding, type Severity } from '../findings/finding.js';
import { type Connect, watchTransport } from './database.js';
import { FAILURE_TAG } from './protocol.js';
import { parseSecretValue } from './secretValue.js';
import { canLogin, userLogin } from './sessions.js';

export const SECRET_OPERATIONS = 'secretRotation';

export interface OperationDeps {
  sm: SecretsManagerClient;
  connect: Connect;
  target: Target;
  now: () => Date;
  logger: LoggerLike;
}

export interface OperationResult {
  /** `refused`: a precondition failed and nothing was changed (exit code 1 in the CLI). */
  outcome: 'planned' | 'done' | 'nothing-to-do' | 'refused';
  finding: Finding;
}

export const holder = (meta: SecretMetadata, stage: string, not?: string) =>
  Object.entries(meta.versions).find(([, s]) => s.includes(stage) && (!not || !s.includes(not)))?.[0];

export function result(
  deps: OperationDeps,
  meta: SecretMetadata,
  check: string,
  outcome: OperationResult['outcome'],
  title: string,
  action: FindingAction,
  dryRun: boolean,
): OperationResult {
  const severity: Severity = outcome === 'refused' ? 'high' : 'info';
  const finding = makeFinding({
    automation: SECRET_OPERATIONS,
    check,
    severity,
    status: outcome === 'done' || outcome === 'nothing-to-do' ? 'resolved' : 'open',
    account: deps.target.account,
    region: deps.target.region,
    resourceArn: meta.arn,
    title,
    detail: { name: meta.name },
    observedAt: deps.now(),
    dryRun,
    action,
  });
  deps.logger.info(`secret ${check}`, { secretArn: meta.arn, outcome });
  return { outcome, finding };
}

/**
 * Runs an operation and reports its logins that went plaintext because the database offered no TLS (the secret
 * says `"ssl": "prefer"`): `tlsFallback` in the finding's detail and a warn log line.
 */
export async function reportingTlsFallback(
  deps: OperationDeps,
  run: (deps: OperationDeps) => Promise<OperationResult>,
): Promise<OperationResult> {
  const watched = watchTransport(deps.connect);
  const out = await run({ ...deps, connect: watched.connect });
  if (watched.plaintext.size === 0) return out;
  const tlsFallback = [...watched.plaintext];
  deps.logger.warn(
    'the database offers no TLS: logged in in plaintext, as the secret allows ("ssl": "prefer")',
    {
      secretArn: out.finding.resourceArn,
      tlsFallback,
    },
  );
  return { ...out, finding: { ...out.finding, detail: { ...out.finding.detail, tlsFallback } } };
}

/**
 * Clears an orphaned AWSPENDING stage (a failed rotation that blocks every later one), after checking that the
 * AWSCURRENT credentials still log in. Dry-run unless `apply`; a second run finds nothing to do.
 */
export function healSecret(deps: OperationDeps, secretId: string, apply: boolean): Promise<OperationResult> {
  return reportingTlsFallback(deps, (d) => heal(d, secretId, apply));
}

async function heal(deps: OperationDeps, secretId: string, apply: boolean): Promise<OperationResult> {
  const meta = await describeSecret(deps.sm, secretId);
  const pending = holder(meta, 'AWSPENDING', 'AWSCURRENT');
  if (!pending) {
    return result(
      deps,
      meta,
      'heal',
      'nothing-to-do',
      `No orphaned AWSPENDING version on ${meta.name}`,
      { type: 'heal', result: 'skipped' },
      !apply,
    );
  }
  const current = parseSecretValue(
    await getSecretString(deps.sm, meta.arn, { stage: 'AWSCURRENT' }),
    'AWSCURRENT secret',
  );
  if (!(await canLogin(deps.connect, userLogin(current)))) {
    return result(
      deps,
      meta,
      'heal',
      'refused',
      `AWSCURRENT of ${meta.name} does not log in: not healing (see the rollback runbook)`,
      {
        type: 'heal',
        result: 'skipped',
        detail: { reason: 'current credentials rejected by the database', pendingVersion: pending },
      },
      !apply,
    );
  }
  const detail = { pendingVersion: pending, currentCredentials: 'verified' };
  if (!apply) {
    return result(
      deps,
      meta,
      'heal',
      'planned',
      `Would remove AWSPENDING from version ${pending} of ${meta.name}`,
      { type: 'heal', result: 'planned', detail },
      true,
    );
  }
  await updateStage(deps.sm, meta.arn, 'AWSPENDING', { removeFrom: pending });
  if (meta.tags[FAILURE_TAG] !== undefined) await untagSecret(deps.sm, meta.arn, FAILURE_TAG);
  return result(
    deps,
    meta,
    'heal',
    'done',
    `Removed the orphaned AWSPENDING from ${meta.name}`,
    { type: 'heal', result: 'succeeded', detail },
    false,
  );
}

/** Starts a rotation now through the configured rotation function. Dry-run unless `apply`. */
export async function rotateSecretNow(
  deps: OperationDeps,
  secretId: string,
  apply: boolean,
): Promise<OperationResult> {
  const meta = await describeSecret(deps.sm, secretId);
  if (holder(meta, 'AWSPENDING', 'AWSCURRENT')) {
    return result(
      deps,
      meta,
      'rotate',
      'refused',
      `A previous rotation of ${meta.name} is not complete: heal it first`,
      { type: 'rotate', result: 'skipped', detail: { reason: 'AWSPENDING present' } },
      !apply,
    );
  }
  if (!apply) {
    return result(
      deps,
      meta,
      'rotate',
      'planned',
      `Would rotate ${meta.name} now`,
      { type: 'rotate', result: 'planned', detail: { rotationEnabled: meta.rotationEnabled } },
      true,
    );
  }
  const versionId = await startRotation(deps.sm, meta.arn);
  return result(
    deps,
    meta,
    'rotate',
    'done',
    `Started the rotation of ${meta.name}`,
    { type: 'rotate', result: 'succeeded', detail: { versionId: versionId ?? null } },
    false,
  );
}
