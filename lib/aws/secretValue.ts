import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A secret's current string, read through the Powertools cache: at most one GetSecretValue per `maxAgeSeconds`
 * per container. The value is handed to the caller only; nothing here logs it.
 */
export function cachedSecretString(
  sm: SecretsManagerClient,
  secretId: string,
  maxAgeSeconds: number,
): () => Promise<string | undefined> {
  const provider = new SecretsProvider({ awsSdkV3Client: sm });
  return async () => (await provider.get(secretId, { maxAge: maxAgeSeconds })) as string | undefined;
}
