import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { type PacedCallOptions, pacedCalls } from './pacing.js';

/** Who manages a KMS key: `CUSTOMER` (a customer-managed key) or `AWS` (an AWS-managed key such as aws/dynamodb). */
export type KeyManager = 'CUSTOMER' | 'AWS';

export interface KmsApi {
  /** The key's manager (DescribeKey), read once per key and run however many resources share it. */
  keyManager(keyArn: string): Promise<KeyManager | undefined>;
}

export function kmsApi(client: KMSClient, options: PacedCallOptions = {}): KmsApi {
  const { call } = pacedCalls(options);
  const seen = new Map<string, Promise<KeyManager | undefined>>();
  return {
    keyManager(keyArn) {
      let manager = seen.get(keyArn);
      if (!manager) {
        manager = call(() => client.send(new DescribeKeyCommand({ KeyId: keyArn }))).then(
          (r) => r.KeyMetadata?.KeyManager as KeyManager | undefined,
        );
        // A failure is not cached: the next resource with the key asks again.
        manager.catch(() => seen.delete(keyArn));
        seen.set(keyArn, manager);
      }
      return manager;
    },
  };
}
