import * as v from 'valibot';
import type { KindName } from '../../../../lib/backup/kinds/names.js';
import type {
  BackupEvidence,
  EvalContext,
  ProtectionApis,
  ScanContext,
} from '../../../../lib/backup/kinds/types.js';
import { verifyOptionsSchema } from '../../../../lib/backup/options.js';
import { parseBackupTags } from '../../../../lib/backup/tags.js';

export const NOW = new Date('2026-11-26T12:00:00Z');
export const ACCOUNT = '111122223333';
export const REGION = 'eu-west-1';
export const DR = 'eu-central-1';
export const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
export const REQ = { rpoHours: 24, retentionDays: 7 };

export const options = (o: Record<string, unknown> = {}) => v.parse(verifyOptionsSchema, o);

export const evalCtx = (o: Record<string, unknown> = {}, evidence?: BackupEvidence): EvalContext => ({
  now: NOW,
  options: options(o),
  evidence,
});

export function scanCtx(
  apis: ProtectionApis,
  o: Record<string, unknown> = {},
  evidence?: BackupEvidence,
): ScanContext {
  const opts = options(o);
  return {
    apis,
    target: { account: ACCOUNT, region: REGION },
    options: opts,
    now: NOW,
    evidence,
    wanted: (kind: KindName, tags: Record<string, string>) =>
      parseBackupTags(tags, 24, { mode: opts.defaults[kind] }).mode === 'required',
  };
}

export const statusOf = (checks: { check: string; status: string }[]) =>
  Object.fromEntries(checks.map((c) => [c.check, c.status]));
