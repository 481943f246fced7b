import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { tracer } from '../runtime/powertools.js';
import { assumeRoleProvider, executionRoleArn } from './credentials.js';

export interface ClientSettings {
  region: string;
  maxAttempts: number;
  credentials?: AwsCredentialIdentityProvider | undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK client constructors differ only in their config type
export type ClientClass<C> = new (config: any) => C;

/**
 * The one place SDK clients are made: region, bounded adaptive retries, optional target-account credentials,
 * X-Ray capture. No endpoint is ever set here, so AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> apply.
 */
export function createClient<C extends object>(Client: ClientClass<C>, settings: ClientSettings): C {
  const client = new Client({
    region: settings.region,
    maxAttempts: settings.maxAttempts,
    retryMode: 'adaptive',
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
  });
  return tracer.isTracingEnabled() ? tracer.captureAWSv3Client(client) : client;
}

export interface Target {
  account: string;
  region: string;
}

/** Clients for one target (account, region), made once and reused for the life of the container. */
export interface AwsClients {
  readonly target: Target;
  get<C extends object>(Client: ClientClass<C>): C;
}

export interface ClientPoolOptions {
  /** The account whose own credentials are used; a function when it is learnt late (from the Lambda context). */
  homeAccount: string | (() => string | undefined);
  homeRegion: string;
  roleName: string;
  externalId?: string | undefined;
  maxAttempts: number;
  sessionName?: string;
}

/** Pool of per-target client sets. The home account uses the function's own credentials; others assume the role. */
export class ClientPool {
  readonly #sets = new Map<string, AwsClients>();
  readonly #providers = new Map<string, AwsCredentialIdentityProvider>();
  readonly #options: ClientPoolOptions;
  /** Made on the first target outside the home account: a single-account deployment never builds it. */
  #sts: STSClient | undefined;

  constructor(options: ClientPoolOptions) {
    this.#options = options;
  }

  /** Credentials for a target account (undefined for the home account). */
  credentialsFor(account: string): AwsCredentialIdentityProvider | undefined {
    const home = this.#options.homeAccount;
    if (account === (typeof home === 'function' ? home() : home)) return undefined;
    let provider = this.#providers.get(account);
    if (!provider) {
      this.#sts ??= createClient(STSClient, {
        region: this.#options.homeRegion,
        maxAttempts: this.#options.maxAttempts,
      });
      provider = assumeRoleProvider(this.#sts, {
        account,
        roleArn: executionRoleArn(account, this.#options.roleName),
        externalId: this.#options.externalId,
        sessionName: this.#options.sessionName ?? 'warden',
      });
      this.#providers.set(account, provider);
    }
    return provider;
  }

  for(target: Target): AwsClients {
    const key = `${target.account}/${target.region}`;
    let set = this.#sets.get(key);
    if (!set) {
      const clients = new Map<ClientClass<object>, object>();
      const settings: ClientSettings = {
        region: target.region,
        maxAttempts: this.#options.maxAttempts,
        credentials: this.credentialsFor(target.account),
      };
      set = {
        target,
        get: <C extends object>(Client: ClientClass<C>): C => {
          let c = clients.get(Client) as C | undefined;
          if (!c) {
            c = createClient(Client, settings);
            clients.set(Client, c);
          }
          return c;
        },
      };
      this.#sets.set(key, set);
    }
    return set;
  }
}
