import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  RotateSecretCommand,
  type SecretListEntry,
  type SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

/** What the rotation protocol needs to know about a secret. */
export interface SecretMetadata {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  /** Version id -> staging labels. */
  versions: Record<string, string[]>;
  tags: Record<string, string>;
}

export async function describeSecret(sm: SecretsManagerClient, secretId: string): Promise<SecretMetadata> {
  const r = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
  return {
    arn: r.ARN ?? secretId,
    name: r.Name ?? secretId,
    rotationEnabled: r.RotationEnabled === true,
    versions: r.VersionIdsToStages ?? {},
    tags: Object.fromEntries((r.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
  };
}

/**
 * The secret string of one version (by id and/or stage), or undefined when that version has no value (a
 * version Secrets Manager staged AWSPENDING before createSecret ran) or does not exist.
 */
export async function getSecretString(
  sm: SecretsManagerClient,
  secretId: string,
  which: { versionId?: string; stage?: string },
): Promise<string | undefined> {
  try {
    const r = await sm.send(
      new GetSecretValueCommand({
        SecretId: secretId,
        ...(which.versionId ? { VersionId: which.versionId } : {}),
        ...(which.stage ? { VersionStage: which.stage } : {}),
      }),
    );
    return r.SecretString;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

/** Stores `secretString` as version `token` staged AWSPENDING (idempotent for the same token and value). */
export async function putPendingSecret(
  sm: SecretsManagerClient,
  secretId: string,
  token: string,
  secretString: string,
): Promise<void> {
  await sm.send(
    new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: secretString,
      VersionStages: ['AWSPENDING'],
    }),
  );
}

/** Moves `stage` to `moveTo` (and off `removeFrom`), or only removes it when `moveTo` is undefined. */
export async function updateStage(
  sm: SecretsManagerClient,
  secretId: string,
  stage: string,
  versions: { moveTo?: string | undefined; removeFrom?: string | undefined },
): Promise<void> {
  await sm.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: stage,
      ...(versions.moveTo ? { MoveToVersionId: versions.moveTo } : {}),
      ...(versions.removeFrom ? { RemoveFromVersionId: versions.removeFrom } : {}),
    }),
  );
}

export interface PasswordPolicy {
  length: number;
  excludeCharacters: string;
}

export async function getRandomPassword(sm: SecretsManagerClient, policy: PasswordPolicy): Promise<string> {
  const r = await sm.send(
    new GetRandomPasswordCommand({
      PasswordLength: policy.length,
      ExcludeCharacters: policy.excludeCharacters,
      RequireEachIncludedType: true,
    }),
  );
  if (!r.RandomPassword) throw new Error('GetRandomPassword returned no password');
  return r.RandomPassword;
}

/**
 * Every secret of the account and region, 100 per call, as the list returns them (no per-secret calls). The next
 * page is requested before the current one is handed out, so the caller's work overlaps the next call.
 */
export async function* listSecrets(sm: SecretsManagerClient): AsyncGenerator<SecretListEntry[]> {
  const page = async (token: string | undefined) =>
    sm.send(
      new ListSecretsCommand({
        MaxResults: 100,
        IncludePlannedDeletion: false,
        ...(token ? { NextToken: token } : {}),
      }),
    );
  let next: ReturnType<typeof page> | undefined = page(undefined);
  while (next) {
    const r: Awaited<ReturnType<typeof page>> = await next;
    next = r.NextToken ? page(r.NextToken) : undefined;
    // A consumer that stops early must not leave the prefetched call's rejection unhandled.
    next?.catch(() => undefined);
    yield r.SecretList ?? [];
  }
}

/** Starts a rotation now with the configured rotation function; returns the new version id. */
export async function startRotation(
  sm: SecretsManagerClient,
  secretId: string,
  token?: string,
): Promise<string | undefined> {
  const r = await sm.send(
    new RotateSecretCommand({
      SecretId: secretId,
      RotateImmediately: true,
      ...(token ? { ClientRequestToken: token } : {}),
    }),
  );
  return r.VersionId;
}

/** Creation date of each version of a secret (one call; only for secrets that look stuck). */
export async function versionDates(
  sm: SecretsManagerClient,
  secretId: string,
): Promise<Record<string, Date | undefined>> {
  const out: Record<string, Date | undefined> = {};
  let token: string | undefined;
  do {
    const r = await sm.send(
      new ListSecretVersionIdsCommand({
        SecretId: secretId,
        MaxResults: 100,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    for (const v of r.Versions ?? []) if (v.VersionId) out[v.VersionId] = v.CreatedDate;
    token = r.NextToken;
  } while (token);
  return out;
}

export async function tagSecret(
  sm: SecretsManagerClient,
  secretId: string,
  key: string,
  value: string,
): Promise<void> {
  await sm.send(new TagResourceCommand({ SecretId: secretId, Tags: [{ Key: key, Value: value }] }));
}

export async function untagSecret(sm: SecretsManagerClient, secretId: string, key: string): Promise<void> {
  await sm.send(new UntagResourceCommand({ SecretId: secretId, TagKeys: [key] }));
}
