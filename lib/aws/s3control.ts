import {
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  type S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { type PacedCallOptions, pacedCalls } from './pacing.js';

export interface S3ControlApi {
  /**
   * The account-level S3 Block Public Access settings (S3 Control GetPublicAccessBlock), which apply to every bucket
   * of the account on top of each bucket's own; undefined when the account has none.
   */
  accountPublicAccessBlock(accountId: string): Promise<PublicAccessBlockConfiguration | undefined>;
}

export function s3ControlApi(client: S3ControlClient, options: PacedCallOptions = {}): S3ControlApi {
  const { call } = pacedCalls(options);
  return {
    async accountPublicAccessBlock(AccountId) {
      try {
        const r = await call(() => client.send(new GetPublicAccessBlockCommand({ AccountId })));
        return r.PublicAccessBlockConfiguration;
      } catch (err) {
        // Not modelled as a class: the name alone means "the account has no such configuration".
        if (err instanceof Error && err.name === 'NoSuchPublicAccessBlockConfiguration') return undefined;
        throw err;
      }
    },
  };
}
