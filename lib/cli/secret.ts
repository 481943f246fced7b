import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ValidationError } from '../errors.js';
import { connectAny } from '../secrets/drivers.js';
import {
  healSecret,
  type OperationDeps,
  type OperationResult,
  rotateSecretNow,
} from '../secrets/operations.js';
import { rollbackSecret } from '../secrets/rollback.js';
import { cliLogger } from './logger.js';
import type { CliCommand, CliContext } from './types.js';

const USAGE = [
  'warden secret heal <secret-id> [--apply]      clear an orphaned AWSPENDING after checking AWSCURRENT logs in',
  'warden secret rollback <secret-id> [--apply]  AWSPREVIOUS back to AWSCURRENT, its password re-applied',
  'warden secret rotate <secret-id> [--apply]    start a rotation now',
] as const;

const OPERATIONS = { heal: healSecret, rollback: rollbackSecret, rotate: rotateSecretNow } as const;

function usageError(expected: string): ValidationError {
  return new ValidationError('secret arguments', [{ field: 'arguments', expected }]);
}

async function depsFor(ctx: CliContext): Promise<OperationDeps> {
  const target = await ctx.target();
  return {
    sm: ctx.pool().for(target).get(SecretsManagerClient),
    connect: connectAny,
    target,
    now: () => ctx.now(),
    logger: cliLogger(ctx.io),
  };
}

function print(ctx: CliContext, r: OperationResult): void {
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ outcome: r.outcome, finding: r.finding }));
    return;
  }
  ctx.io.out(`${r.outcome}: ${r.finding.title}`);
  if (r.outcome === 'planned') ctx.io.out('dry-run: nothing changed; re-run with --apply to act');
}

/** `warden secret heal|rollback|rotate <secret-id>`: dry-run unless --apply; each run is recorded as a finding. */
export const secretCommand: CliCommand = {
  name: 'secret',
  summary: 'Heal a stuck rotation, roll a secret back to AWSPREVIOUS, or rotate now (dry-run unless --apply)',
  usage: USAGE,
  async run(args, ctx) {
    const { positionals } = parseArgs({ args: [...args], options: {}, allowPositionals: true, strict: true });
    const [verb, secretId, ...rest] = positionals;
    if (!verb || !(verb in OPERATIONS)) throw usageError('heal, rollback or rotate');
    if (!secretId || rest.length > 0) throw usageError('one secret id (name or ARN)');
    const r = await OPERATIONS[verb as keyof typeof OPERATIONS](await depsFor(ctx), secretId, ctx.apply);
    await ctx.publish([r.finding]);
    print(ctx, r);
    return r.outcome === 'refused' ? 1 : 0;
  },
};
