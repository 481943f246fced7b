import type { Target } from '../aws/clients.js';
import {
  type Finding,
  type FindingAction,
  type FindingDetail,
  makeFinding,
  type Severity,
} from '../findings/finding.js';

export interface FindingScope {
  automation: string;
  target: Target;
  now: Date;
  dryRun: boolean;
}

export interface BackupFindingInput {
  check: string;
  severity: Severity;
  resourceArn: string;
  title: string;
  detail?: FindingDetail;
  action?: FindingAction;
}

/** A finding of a backup automation; titles are cut to the 300 characters the model allows. */
export function backupFinding(scope: FindingScope, input: BackupFindingInput): Finding {
  return makeFinding({
    automation: scope.automation,
    check: input.check,
    severity: input.severity,
    account: scope.target.account,
    region: scope.target.region,
    resourceArn: input.resourceArn,
    title: input.title.length > 300 ? `${input.title.slice(0, 297)}...` : input.title,
    detail: input.detail ?? {},
    observedAt: scope.now,
    dryRun: scope.dryRun,
    ...(input.action ? { action: input.action } : {}),
  });
}

/** ARN standing for a whole listing (every instance or cluster of a region), for findings about it. */
export function regionArn(target: Target, what: string): string {
  return `arn:aws:rds:${target.region}:${target.account}:${what}:*`;
}
