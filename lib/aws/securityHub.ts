import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  DescribeHubCommand,
  type SecurityHubClient,
  type WorkflowStatus,
} from '@aws-sdk/client-securityhub';

export type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';

/** BatchImportFindings and BatchUpdateFindings take at most 100 findings per call. */
export const SECURITY_HUB_BATCH_LIMIT = 100;

/** A finding Security Hub did not take, with its own error (FailedFindings / UnprocessedFindings). */
export interface FindingFailure {
  id: string;
  code: string;
  message: string;
}

/** The account's own integration: findings imported under it must carry that account as AwsAccountId. */
export function defaultProductArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

export function hubArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:hub/default`;
}

/** Splits items into calls of at most `limit`, never the same id twice in one call (the API refuses that). */
export function chunksById<T>(items: readonly T[], idOf: (t: T) => string, limit: number): T[][] {
  const chunks: { items: T[]; ids: Set<string> }[] = [];
  for (const item of items) {
    const id = idOf(item);
    let chunk = chunks.find((c) => c.items.length < limit && !c.ids.has(id));
    if (!chunk) {
      chunk = { items: [], ids: new Set() };
      chunks.push(chunk);
    }
    chunk.items.push(item);
    chunk.ids.add(id);
  }
  return chunks.map((c) => c.items);
}

/**
 * Imports (creates, or updates by Id and ProductArn) findings in calls of at most 100. Returns the findings
 * Security Hub refused (FailedFindings); a call that fails as a whole throws.
 */
export async function importFindings(
  hub: SecurityHubClient,
  findings: readonly AwsSecurityFinding[],
): Promise<FindingFailure[]> {
  const failures: FindingFailure[] = [];
  for (const chunk of chunksById(findings, (f) => f.Id ?? '', SECURITY_HUB_BATCH_LIMIT)) {
    const r = await hub.send(new BatchImportFindingsCommand({ Findings: chunk }));
    for (const failed of r.FailedFindings ?? [])
      failures.push({
        id: failed.Id ?? '',
        code: failed.ErrorCode ?? 'Unknown',
        message: failed.ErrorMessage ?? '',
      });
    if ((r.FailedCount ?? 0) > (r.FailedFindings?.length ?? 0))
      for (const f of chunk)
        if (!failures.some((x) => x.id === f.Id))
          failures.push({ id: f.Id ?? '', code: 'Unknown', message: `FailedCount ${r.FailedCount}` });
  }
  return failures;
}

/**
 * Sets the workflow status of findings (BatchUpdateFindings: the customer's field, which BatchImportFindings
 * cannot change once a finding exists), at most 100 per call. Returns the findings left unprocessed.
 */
export async function setWorkflowStatus(
  hub: SecurityHubClient,
  findings: readonly { id: string; productArn: string }[],
  status: WorkflowStatus,
): Promise<FindingFailure[]> {
  const failures: FindingFailure[] = [];
  for (const chunk of chunksById(findings, (f) => f.id, SECURITY_HUB_BATCH_LIMIT)) {
    const r = await hub.send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: chunk.map((f) => ({ Id: f.id, ProductArn: f.productArn })),
        Workflow: { Status: status },
      }),
    );
    for (const u of r.UnprocessedFindings ?? [])
      failures.push({
        id: u.FindingIdentifier?.Id ?? '',
        code: u.ErrorCode ?? 'Unknown',
        message: u.ErrorMessage ?? '',
      });
  }
  return failures;
}

/** The hub of the account and region (throws InvalidAccessException when Security Hub is not enabled). */
export async function describeHub(hub: SecurityHubClient): Promise<{ hubArn: string | undefined }> {
  const r = await hub.send(new DescribeHubCommand({}));
  return { hubArn: r.HubArn };
}
