import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientPool, createClient } from '../../../lib/aws/clients.js';

describe('Function: createClient', () => {
  afterEach(() => {
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_ENDPOINT_URL_SQS;
  });

  it('sets region and bounded adaptive retries, and no endpoint of its own', async () => {
    // Act
    const client = createClient(SQSClient, { region: 'eu-central-1', maxAttempts: 4 });
    // Assess
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(4);
    expect(((await client.config.retryStrategy()) as { mode?: string }).mode).toBe('adaptive');
  });

  it('sends to AWS_ENDPOINT_URL_<SERVICE> when set (LocalStack and other emulators)', async () => {
    // Prepare
    const seen: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      seen.push(req);
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(JSON.stringify({ QueueUrl: 'http://local/queue' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    process.env.AWS_ENDPOINT_URL_SQS = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Act
    const client = createClient(SQSClient, { region: 'eu-west-1', maxAttempts: 1 });
    const out = await client.send(new GetQueueUrlCommand({ QueueName: 'q' }));
    server.close();
    // Assess
    expect(out.QueueUrl).toBe('http://local/queue');
    expect(seen).toHaveLength(1);
  });
});

describe('Class: ClientPool', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());

  it('uses its own credentials for the home account and the execution role elsewhere', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIA',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const pool = new ClientPool({
      homeAccount: '111111111111',
      homeRegion: 'eu-west-1',
      roleName: 'WardenExecutionRole',
      externalId: 'x',
      maxAttempts: 2,
    });
    // Act
    const home = pool.credentialsFor('111111111111');
    const other = await pool.credentialsFor('222222222222')?.();
    // Assess
    expect(home).toBeUndefined();
    expect(other?.accessKeyId).toBe('ASIA');
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::222222222222:role/WardenExecutionRole',
      ExternalId: 'x',
    });
  });

  it('makes each client once per target', () => {
    // Prepare
    const pool = new ClientPool({
      homeAccount: '111111111111',
      homeRegion: 'eu-west-1',
      roleName: 'R',
      maxAttempts: 2,
    });
    // Act
    const a = pool.for({ account: '111111111111', region: 'eu-west-1' }).get(SQSClient);
    const b = pool.for({ account: '111111111111', region: 'eu-west-1' }).get(SQSClient);
    const c = pool.for({ account: '111111111111', region: 'us-east-1' }).get(SQSClient);
    // Assess
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });
});
