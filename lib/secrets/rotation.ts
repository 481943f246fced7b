import { describeSecret, tagSecret, untagSecret, updateStage } from '../aws/secretsManager.js';
import { describeError, WardenError } from '../errors.js';
import { watchTransport } from './database.js';
import { classifyFailure, RotationError } from './errors.js';
import {
  FAILURE_TAG,
  type RotationDeps,
  type RotationRequest,
  type StepOutcome,
  type StepResult,
} from './protocol.js';
import { HANDLERS } from './steps.js';

export * from './protocol.js';

/** Best effort: the step's own error is what Secrets Manager must see, so a tagging failure is only logged. */
async function recordFailure(deps: RotationDeps, secretArn: string, value: string): Promise<void> {
  try {
    await tagSecret(deps.sm, secretArn, FAILURE_TAG, value);
  } catch (err) {
    deps.logger.warn('cannot record the rotation failure on the secret', {
      secretArn,
      error: describeError(err),
    });
  }
}

/**
 * Runs one step of the Secrets Manager rotation protocol. The token must be a version of the secret staged
 * AWSPENDING; when it is already AWSCURRENT the step does nothing (finishSecret only tidies a leftover
 * AWSPENDING label). Logs the secret ARN, version id, step and outcome, never a value.
 */
export async function rotateSecretStep(deps: RotationDeps, request: RotationRequest): Promise<StepResult> {
  const { step, token } = request;
  // Logins that went plaintext because the server offered no TLS (`"ssl": "prefer"`): said in the step's log line.
  const fallback = watchTransport(deps.connect);
  const tlsFallback = () => (fallback.plaintext.size ? { tlsFallback: [...fallback.plaintext] } : {});
  let secretArn = request.secretId;
  let described = false;
  try {
    const meta = await describeSecret(deps.sm, request.secretId);
    secretArn = meta.arn;
    described = true;
    if (!meta.rotationEnabled) throw new WardenError('rotation is not enabled on this secret');
    const stages = meta.versions[token];
    if (!stages) throw new WardenError('the token is not a version of this secret');
    let outcome: StepOutcome;
    if (stages.includes('AWSCURRENT')) {
      // A finishSecret retried after it moved AWSCURRENT completes its tidying.
      if (step === 'finishSecret' && stages.includes('AWSPENDING'))
        await updateStage(deps.sm, meta.arn, 'AWSPENDING', { removeFrom: token });
      if (step === 'finishSecret' && meta.tags[FAILURE_TAG] !== undefined)
        await untagSecret(deps.sm, meta.arn, FAILURE_TAG);
      outcome = 'already-current';
    } else if (!stages.includes('AWSPENDING')) {
      throw new WardenError('the version is not staged AWSPENDING');
    } else {
      outcome = await HANDLERS[step]({ deps: { ...deps, connect: fallback.connect }, meta, token, step });
    }
    const line = { secretArn, versionId: token, step, outcome, ...tlsFallback() };
    if (line.tlsFallback) deps.logger.warn('rotation step', line);
    else deps.logger.info('rotation step', line);
    return line;
  } catch (err) {
    const kind = classifyFailure(err);
    deps.logger.warn('rotation step failed', {
      secretArn,
      versionId: token,
      step,
      outcome: 'failed',
      kind,
      error: describeError(err),
      ...tlsFallback(),
    });
    if (described) await recordFailure(deps, secretArn, `${kind} ${step} ${deps.now().toISOString()}`);
    throw new RotationError(
      `${step} failed for ${secretArn} version ${token}: ${describeError(err)}`,
      { step, versionId: token, secretArn, kind },
      { cause: err },
    );
  }
}
