import { describeSecret, getSecretString, updateStage } from '../aws/secretsManager.js';
import { WardenError } from '../errors.js';
import {
  holder,
  type OperationDeps,
  type OperationResult,
  reportingTlsFallback,
  result,
} from './operations.js';
import { parseSecretValue } from './secretValue.js';
import { canLogin, firstLogin, masterLogin, opsFor, userLogin } from './sessions.js';

/**
 * Moves AWSCURRENT back to the AWSPREVIOUS version and re-applies that version's password to the database (the
 * database first, then the label, like a rotation). Dry-run unless `apply`; safe to re-run.
 */
export function rollbackSecret(
  deps: OperationDeps,
  secretId: string,
  apply: boolean,
): Promise<OperationResult> {
  return reportingTlsFallback(deps, (d) => rollback(d, secretId, apply));
}

async function rollback(deps: OperationDeps, secretId: string, apply: boolean): Promise<OperationResult> {
  const meta = await describeSecret(deps.sm, secretId);
  const currentVersion = holder(meta, 'AWSCURRENT');
  const previousVersion = holder(meta, 'AWSPREVIOUS', 'AWSCURRENT');
  if (holder(meta, 'AWSPENDING', 'AWSCURRENT')) {
    return result(
      deps,
      meta,
      'rollback',
      'refused',
      `A rotation of ${meta.name} is pending: heal or finish it before a rollback`,
      { type: 'rollback', result: 'skipped', detail: { reason: 'AWSPENDING present' } },
      !apply,
    );
  }
  if (!previousVersion || !currentVersion) {
    return result(
      deps,
      meta,
      'rollback',
      'refused',
      `${meta.name} has no AWSPREVIOUS version to roll back to`,
      { type: 'rollback', result: 'skipped', detail: { reason: 'no AWSPREVIOUS' } },
      !apply,
    );
  }
  const previous = parseSecretValue(
    await getSecretString(deps.sm, meta.arn, { stage: 'AWSPREVIOUS' }),
    'AWSPREVIOUS secret',
  );
  const current = parseSecretValue(
    await getSecretString(deps.sm, meta.arn, { stage: 'AWSCURRENT' }),
    'AWSCURRENT secret',
  );
  const alreadyWorks = await canLogin(deps.connect, userLogin(previous));
  const detail = {
    from: currentVersion,
    to: previousVersion,
    user: previous.username,
    passwordReapplied: !alreadyWorks,
  };
  if (!apply) {
    return result(
      deps,
      meta,
      'rollback',
      'planned',
      `Would move AWSCURRENT of ${meta.name} back to ${previousVersion}${alreadyWorks ? '' : ' and re-apply its password'}`,
      { type: 'rollback', result: 'planned', detail },
      true,
    );
  }
  if (!alreadyWorks) {
    const self = previous.username === current.username ? [{ login: userLogin(current), asSelf: true }] : [];
    const { session, asSelf } = await firstLogin(
      deps.connect,
      self,
      current.masterarn ? () => masterLogin(deps.sm, current) : undefined,
    );
    try {
      await opsFor(previous.engine).setPassword(session, previous.username, previous.password, asSelf);
    } finally {
      await session.close().catch(() => undefined);
    }
    if (!(await canLogin(deps.connect, userLogin(previous)))) {
      throw new WardenError(`the AWSPREVIOUS password of ${meta.name} was applied but does not log in`);
    }
  }
  await updateStage(deps.sm, meta.arn, 'AWSCURRENT', { moveTo: previousVersion, removeFrom: currentVersion });
  return result(
    deps,
    meta,
    'rollback',
    'done',
    `Rolled ${meta.name} back to version ${previousVersion}`,
    { type: 'rollback', result: 'succeeded', detail },
    false,
  );
}
