import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { AssumeRoleError } from '../errors.js';

/** Refresh this long before expiry so no call starts with credentials about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface AssumeRoleParams {
  account: string;
  roleArn: string;
  externalId?: string | undefined;
  sessionName: string;
}

/**
 * Credentials of a role in a target account, cached until near expiry. Concurrent callers share one STS call.
 * A failure is an AssumeRoleError (the caller turns it into a finding) and is not cached.
 */
export function assumeRoleProvider(
  sts: STSClient,
  params: AssumeRoleParams,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let cached: AwsCredentialIdentity | undefined;
  let inflight: Promise<AwsCredentialIdentity> | undefined;
  const fetch = async (): Promise<AwsCredentialIdentity> => {
    try {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: params.roleArn,
          RoleSessionName: params.sessionName,
          ExternalId: params.externalId,
          DurationSeconds: 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('STS returned no credentials');
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    } catch (cause) {
      throw new AssumeRoleError(params.account, params.roleArn, { cause });
    }
  };
  return async () => {
    if (cached && (!cached.expiration || cached.expiration.getTime() - REFRESH_MARGIN_MS > now()))
      return cached;
    inflight ??= fetch().finally(() => {
      inflight = undefined;
    });
    cached = await inflight;
    return cached;
  };
}

export function executionRoleArn(account: string, roleName: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}
