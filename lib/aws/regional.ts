import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { type AwsClients, type ClientClass, createClient } from './clients.js';

const regional = new WeakMap<object, Map<string, object>>();

/**
 * A client of the target's account in another region (the DR region), with the target's credentials. AwsClients is
 * bound to one region, so this reuses the home client's credential provider through createClient; made once.
 */
export function clientIn<C extends object>(
  aws: AwsClients,
  Client: ClientClass<C>,
  region: string,
  maxAttempts: number,
): C {
  const home = aws.get(Client);
  if (region === aws.target.region) return home;
  let byRegion = regional.get(home);
  if (!byRegion) {
    byRegion = new Map();
    regional.set(home, byRegion);
  }
  let client = byRegion.get(region) as C | undefined;
  if (!client) {
    const credentials = (home as { config?: { credentials?: AwsCredentialIdentityProvider } }).config
      ?.credentials;
    client = createClient(Client, { region, maxAttempts, credentials });
    byRegion.set(region, client);
  }
  return client;
}
