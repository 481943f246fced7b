import { ResourceExistsException } from '@aws-sdk/client-secrets-manager';
import {
  getRandomPassword,
  getSecretString,
  putPendingSecret,
  type SecretMetadata,
  untagSecret,
  updateStage,
} from '../aws/secretsManager.js';
import { ValidationError, WardenError } from '../errors.js';
import { withSession } from './database.js';
import { FAILURE_TAG, type RotationDeps, type Step, type StepOutcome } from './protocol.js';
import { baseUser, otherUser, parseSecretValue, type SecretValue, strategyOf } from './secretValue.js';
import { canLogin, firstLogin, masterLogin, opsFor, privilegeGap, userLogin } from './sessions.js';

/** What one step works on: the secret as DescribeSecret returned it and the version being rotated. */
export interface Ctx {
  deps: RotationDeps;
  meta: SecretMetadata;
  token: string;
  step: Step;
}

async function version(
  ctx: Ctx,
  which: { versionId?: string; stage: string },
  what: string,
): Promise<SecretValue> {
  return parseSecretValue(await getSecretString(ctx.deps.sm, ctx.meta.arn, which), what);
}

async function createSecret(ctx: Ctx): Promise<StepOutcome> {
  const { sm } = ctx.deps;
  const current = await version(ctx, { stage: 'AWSCURRENT' }, 'AWSCURRENT secret');
  const existing = await getSecretString(sm, ctx.meta.arn, { versionId: ctx.token, stage: 'AWSPENDING' });
  if (existing !== undefined) {
    parseSecretValue(existing, 'AWSPENDING secret');
    return 'reused';
  }
  const alternating = strategyOf(current) === 'alternating';
  const username = alternating ? otherUser(current.username) : current.username;
  if (username.length > 63)
    throw new ValidationError('AWSCURRENT secret', [
      { field: 'username', expected: 'at most 57 characters (alternating adds _clone)' },
    ]);
  const password = await getRandomPassword(sm, ctx.deps.password);
  try {
    await putPendingSecret(sm, ctx.meta.arn, ctx.token, JSON.stringify({ ...current, username, password }));
  } catch (err) {
    // A concurrent createSecret for the same token won the race: its version is the pending one.
    if (err instanceof ResourceExistsException) return 'reused';
    throw err;
  }
  return 'created';
}

function checkSameDatabase(current: SecretValue, pending: SecretValue): void {
  for (const field of ['engine', 'host', 'port', 'dbname'] as const) {
    if (current[field] !== pending[field]) {
      throw new ValidationError('AWSPENDING secret', [
        { field, expected: `the same ${field} as AWSCURRENT` },
      ]);
    }
  }
  const allowed =
    strategyOf(current) === 'alternating'
      ? [baseUser(current.username), otherUser(baseUser(current.username))]
      : [current.username];
  if (!allowed.includes(pending.username)) {
    throw new ValidationError('AWSPENDING secret', [
      { field: 'username', expected: `one of ${allowed.map((u) => JSON.stringify(u)).join(', ')}` },
    ]);
  }
}

async function setSecret(ctx: Ctx): Promise<StepOutcome> {
  const { sm, connect } = ctx.deps;
  const pending = await version(ctx, { versionId: ctx.token, stage: 'AWSPENDING' }, 'AWSPENDING secret');
  const current = await version(ctx, { stage: 'AWSCURRENT' }, 'AWSCURRENT secret');
  checkSameDatabase(current, pending);
  // Idempotent: when the pending credentials already work, a previous attempt finished this step.
  if (await canLogin(connect, userLogin(pending))) return 'already-set';
  const ops = opsFor(pending.engine);
  if (strategyOf(current) === 'alternating') {
    const master = await masterLogin(sm, current);
    await withSession(connect, master, async (s) => {
      if (pending.username !== baseUser(pending.username)) {
        await ops.ensureClone(s, baseUser(pending.username), pending.username, pending.password);
      }
      await ops.setPassword(s, pending.username, pending.password, false);
    });
    return 'set';
  }
  // Single user: the current password, else the previous one (a rollback), else the master secret.
  const candidates = [{ login: userLogin(current), asSelf: true }];
  const previous = await getSecretString(sm, ctx.meta.arn, { stage: 'AWSPREVIOUS' });
  if (previous !== undefined) {
    const p = parseSecretValue(previous, 'AWSPREVIOUS secret');
    if (p.username === current.username && p.host === current.host)
      candidates.push({ login: userLogin(p), asSelf: true });
  }
  const { session, asSelf } = await firstLogin(
    connect,
    candidates,
    current.masterarn ? () => masterLogin(sm, current) : undefined,
  );
  try {
    await ops.setPassword(session, pending.username, pending.password, asSelf);
  } finally {
    await session.close().catch(() => undefined);
  }
  return 'set';
}

async function testSecret(ctx: Ctx): Promise<StepOutcome> {
  const { sm, connect } = ctx.deps;
  const pending = await version(ctx, { versionId: ctx.token, stage: 'AWSPENDING' }, 'AWSPENDING secret');
  const ops = opsFor(pending.engine);
  await withSession(connect, userLogin(pending), (s) => ops.ping(s));
  const current = await version(ctx, { stage: 'AWSCURRENT' }, 'AWSCURRENT secret');
  if (strategyOf(current) === 'alternating' && current.username !== pending.username) {
    const master = await masterLogin(sm, current);
    const missing = await privilegeGap(connect, master, current.username, pending.username);
    if (missing.length > 0) {
      throw new WardenError(
        `${JSON.stringify(pending.username)} lacks ${missing.length} privilege(s) of ${JSON.stringify(current.username)}: ${missing.slice(0, 10).join('; ')}`,
      );
    }
  }
  return 'tested';
}

function currentVersionOf(meta: SecretMetadata): string | undefined {
  return Object.entries(meta.versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
}

async function finishSecret(ctx: Ctx): Promise<StepOutcome> {
  await updateStage(ctx.deps.sm, ctx.meta.arn, 'AWSCURRENT', {
    moveTo: ctx.token,
    removeFrom: currentVersionOf(ctx.meta),
  });
  await updateStage(ctx.deps.sm, ctx.meta.arn, 'AWSPENDING', { removeFrom: ctx.token });
  if (ctx.meta.tags[FAILURE_TAG] !== undefined) await untagSecret(ctx.deps.sm, ctx.meta.arn, FAILURE_TAG);
  return 'finished';
}

export const HANDLERS: Record<Step, (ctx: Ctx) => Promise<StepOutcome>> = {
  createSecret,
  setSecret,
  testSecret,
  finishSecret,
};
