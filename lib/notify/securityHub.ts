import {
  type FindingFailure,
  type importFindings,
  SECURITY_HUB_BATCH_LIMIT,
  type setWorkflowStatus,
} from '../aws/securityHub.js';
import { ExecutionError } from '../errors.js';
import type { Finding } from '../findings/finding.js';
import { type AsffContext, toAsff } from './asff.js';
import { microBatcher } from './batcher.js';
import type { Channel } from './notify.js';

export interface SecurityHubApi {
  import: (findings: Parameters<typeof importFindings>[1]) => Promise<FindingFailure[]>;
  setWorkflow: (
    findings: Parameters<typeof setWorkflowStatus>[1],
    status: 'RESOLVED',
  ) => Promise<FindingFailure[]>;
}

export interface SecurityHubChannelDeps {
  api: SecurityHubApi;
  /** Product ARN, importing account and partition: learnt from the function's ARN at the first send. */
  target: () => Promise<Pick<AsffContext, 'productArn' | 'homeAccount' | 'partition'>>;
  runbookUrl: string;
  now: () => Date;
  /** How long a finding waits for others of the same SQS batch to share the call. */
  lingerMs?: number;
}

function refused(f: FindingFailure, step: string): ExecutionError {
  return new ExecutionError(`Security Hub ${step} refused finding ${f.id}: ${f.code} ${f.message}`.trim());
}

/**
 * AWS Security Hub as a channel: each finding imported in ASFF under the account's default integration (the same
 * Id updates it), concurrent sends gathered into calls of at most 100; a resolved finding is archived and its
 * workflow set to RESOLVED. A finding Security Hub refuses fails its own send only.
 */
export function securityHubChannel(deps: SecurityHubChannelDeps): Channel {
  const send = microBatcher<Finding>(
    async (findings) => {
      const ctx = { ...(await deps.target()), runbookUrl: deps.runbookUrl, now: deps.now() };
      const errors = new Map<string, Error>();
      for (const f of await deps.api.import(findings.map((x) => toAsff(x, ctx))))
        errors.set(f.id, refused(f, 'BatchImportFindings'));
      const resolved = findings.filter((f) => f.status === 'resolved' && !errors.has(f.id));
      if (resolved.length > 0) {
        const ids = [...new Set(resolved.map((f) => f.id))].map((id) => ({ id, productArn: ctx.productArn }));
        for (const f of await deps.api.setWorkflow(ids, 'RESOLVED'))
          errors.set(f.id, refused(f, 'BatchUpdateFindings'));
      }
      return findings.map((f) => errors.get(f.id));
    },
    { maxItems: SECURITY_HUB_BATCH_LIMIT, lingerMs: deps.lingerMs ?? 25 },
  );
  return { name: 'securityhub', send: (_n, f) => send(f) };
}
