import { InvalidInputException } from '@aws-sdk/client-organizations';
import { RDSServiceException } from '@aws-sdk/client-rds';
import { InvalidNextTokenException, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import {
  BatchEntryIdsNotDistinct,
  EmptyBatchRequest,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';

/**
 * The page and batch limits of the AWS calls warden makes, as each service's API reference states them, and the
 * paging of the fakes, which enforce them the way the services do. Benchmark bounds are computed from these and
 * from the size of the inventory, never from the calls the code under test happened to make.
 */

/** Secrets Manager ListSecrets and ListSecretVersionIds: MaxResults 1 to 100 (Secrets Manager API Reference). */
export const SECRETS_MANAGER_MAX_RESULTS = 100;
/**
 * RDS DescribeDBInstances, DescribeDBSnapshots, DescribeDBClusters and DescribeDBClusterSnapshots: MaxRecords
 * default 100, minimum 20, maximum 100 (Amazon RDS API Reference).
 */
export const RDS_MIN_RECORDS = 20;
export const RDS_MAX_RECORDS = 100;
/**
 * Organizations ListAccounts, ListAccountsForParent, ListOrganizationalUnitsForParent: MaxResults 1 to 20
 * (AWS Organizations API Reference).
 */
export const ORGANIZATIONS_MAX_RESULTS = 20;
/** SQS SendMessageBatch: 1 to 10 entries per call (Amazon SQS API Reference, SendMessageBatch). */
export const SQS_MAX_BATCH_ENTRIES = 10;
/** SNS Publish: one message per call (Amazon SNS API Reference, Publish; PublishBatch takes up to 10). */
export const SNS_MESSAGES_PER_PUBLISH = 1;

/** Calls that walk a listing of `items` at `pageSize`: at least one, since it takes a call to see a list is empty. */
export function pagesFor(items: number, pageSize: number): number {
  return Math.max(1, Math.ceil(items / pageSize));
}

/** Calls that send `entries` in batches of at most `maxEntries` (none when there is nothing to send). */
export function batchesFor(entries: number, maxEntries: number): number {
  return Math.ceil(entries / maxEntries);
}

const TOKEN = /^page-(\d+)$/;

/** One page of `items` from an offset token the fake issued; `invalidToken` builds the service's error. */
function offsetPage<T>(
  items: readonly T[],
  token: string | undefined,
  size: number,
  invalidToken: () => Error,
): { items: T[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    const offset = TOKEN.exec(token)?.[1];
    if (offset === undefined || Number(offset) > items.length) throw invalidToken();
    start = Number(offset);
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { next: `page-${end}` } : {}) };
}

const clientFault = { $fault: 'client', $metadata: { httpStatusCode: 400 } } as const;

/**
 * A Secrets Manager list page (ListSecrets, ListSecretVersionIds): MaxResults outside 1..100 fails with the
 * service's ValidationException, a NextToken it never issued with InvalidNextTokenException.
 */
export function secretsManagerPage<T>(
  items: readonly T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
): { items: T[]; NextToken?: string } {
  const size = input.MaxResults ?? SECRETS_MANAGER_MAX_RESULTS;
  if (!Number.isInteger(size) || size < 1 || size > SECRETS_MANAGER_MAX_RESULTS) {
    const constraint =
      size < 1 ? 'greater than or equal to 1' : `less than or equal to ${SECRETS_MANAGER_MAX_RESULTS}`;
    throw new SecretsManagerServiceException({
      name: 'ValidationException',
      ...clientFault,
      message: `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value ${constraint}`,
    });
  }
  const page = offsetPage(
    items,
    input.NextToken,
    size,
    () => new InvalidNextTokenException({ message: 'The NextToken value is invalid.', $metadata: {} }),
  );
  return { items: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}

/**
 * An RDS Describe* page: MaxRecords outside 20..100 fails with the service's InvalidParameterValue, as does a
 * Marker it never issued (the wording of that message is ours).
 */
export function rdsPage<T>(
  items: readonly T[],
  input: { MaxRecords?: number | undefined; Marker?: string | undefined },
): { items: T[]; Marker?: string } {
  const invalid = (message: string) =>
    new RDSServiceException({ name: 'InvalidParameterValue', ...clientFault, message });
  const size = input.MaxRecords ?? RDS_MAX_RECORDS;
  if (!Number.isInteger(size) || size < RDS_MIN_RECORDS || size > RDS_MAX_RECORDS) {
    throw invalid(
      `Invalid value ${size} for MaxRecords. Must be between ${RDS_MIN_RECORDS} and ${RDS_MAX_RECORDS}`,
    );
  }
  const page = offsetPage(items, input.Marker, size, () => invalid(`Invalid marker: ${input.Marker}`));
  return { items: page.items, ...(page.next ? { Marker: page.next } : {}) };
}

/** Rejects a SendMessageBatch the way SQS does: no entries, more than 10, or two entries with one Id. */
export function checkSendMessageBatch(entries: readonly { Id?: string | undefined }[] | undefined): void {
  const meta = { $metadata: { httpStatusCode: 400 } };
  const n = entries?.length ?? 0;
  if (n === 0)
    throw new EmptyBatchRequest({
      message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
      ...meta,
    });
  if (n > SQS_MAX_BATCH_ENTRIES) {
    throw new TooManyEntriesInBatchRequest({
      message: `Maximum number of entries per request are ${SQS_MAX_BATCH_ENTRIES}. You have sent ${n}.`,
      ...meta,
    });
  }
  if (new Set(entries?.map((e) => e.Id)).size !== n) {
    throw new BatchEntryIdsNotDistinct({
      message: 'Two or more batch entries in the request have the same Id.',
      ...meta,
    });
  }
}

/**
 * An Organizations list page: MaxResults outside 1..20 fails with InvalidInputException (MAX_VALUE_EXCEEDED or
 * MIN_VALUE_EXCEEDED), a NextToken it never issued with InvalidInputException (INVALID_NEXT_TOKEN).
 */
export function organizationsPage<T>(
  items: readonly T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
): { items: T[]; NextToken?: string } {
  const invalid = (
    Reason: 'MAX_VALUE_EXCEEDED' | 'MIN_VALUE_EXCEEDED' | 'INVALID_NEXT_TOKEN',
    message: string,
  ) => new InvalidInputException({ message, Message: message, Reason, $metadata: { httpStatusCode: 400 } });
  const size = input.MaxResults ?? ORGANIZATIONS_MAX_RESULTS;
  if (!Number.isInteger(size) || size < 1 || size > ORGANIZATIONS_MAX_RESULTS) {
    throw size < 1
      ? invalid('MIN_VALUE_EXCEEDED', 'You provided a value that is too small.')
      : invalid('MAX_VALUE_EXCEEDED', 'You provided a value that is too large.');
  }
  const page = offsetPage(items, input.NextToken, size, () =>
    invalid('INVALID_NEXT_TOKEN', 'You specified an invalid value for nextToken.'),
  );
  return { items: page.items, ...(page.next ? { NextToken: page.next } : {}) };
}
