import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ClientPool } from '../../aws/clients.js';
import { getSecretString } from '../../aws/secretsManager.js';
import { ExecutionError } from '../../errors.js';
import type { Connect } from '../../secrets/database.js';
import type { SqlClient } from './validate.js';
import type { OpenDatabase } from './validator.js';

const loginSchemaError = (arn: string) =>
  new ExecutionError('drill secret must be JSON with string username and password', { resourceArn: arn });

/**
 * Opens the restored instance with the source database's credentials (the restore keeps them), read from the
 * secret the drill options name, in the database's account; `connect` is the dialect's driver.
 */
export function secretLogin(pool: ClientPool, connect: Connect): OpenDatabase {
  return async (endpoint, msg): Promise<SqlClient> => {
    const arn = msg.validation.secretArn;
    if (!arn) throw new ExecutionError(`no secretArn configured to validate ${msg.dbId}`);
    const sm = pool.for(msg.target).get(SecretsManagerClient);
    const raw = await getSecretString(sm, arn, { stage: 'AWSCURRENT' });
    let parsed: { username?: unknown; password?: unknown };
    try {
      parsed = JSON.parse(raw ?? '{}');
    } catch {
      throw loginSchemaError(arn);
    }
    if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string')
      throw loginSchemaError(arn);
    const session = await connect({
      engine: msg.dialect === 'mysql' ? 'mysql' : 'postgres',
      host: endpoint.host,
      port: endpoint.port,
      username: parsed.username,
      password: parsed.password,
      dbname: msg.validation.database,
      tls: msg.validation.tls === 'prefer' ? 'prefer' : msg.validation.tls ? 'verify' : 'off',
    });
    return {
      query: async (sql) => ({ rows: await session.query(sql) }),
      end: () => session.close(),
      ...(session.transport === 'plaintext-fallback' ? { tlsFallback: true } : {}),
    };
  };
}
