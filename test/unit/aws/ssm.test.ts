import {
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterNotFound,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { readParameter, readParametersUnder, SSM_MAX_RESULTS, writeParameter } from '../../../lib/aws/ssm.js';

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: 'eu-west-1' });

describe('Function: readParameter', () => {
  beforeEach(() => ssm.reset());

  it('gives the value, undefined for a missing parameter, and lets any other error through', async () => {
    // Prepare
    ssm.on(GetParameterCommand, { Name: '/f/a' }).resolves({ Parameter: { Name: '/f/a', Value: '{}' } });
    ssm
      .on(GetParameterCommand, { Name: '/f/b' })
      .rejects(new ParameterNotFound({ message: 'no', $metadata: {} }));
    ssm
      .on(GetParameterCommand, { Name: '/f/c' })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const [a, b, c] = await Promise.allSettled(
      ['/f/a', '/f/b', '/f/c'].map((n) => readParameter(client(), n)),
    );
    // Assess
    expect(a).toEqual({ status: 'fulfilled', value: '{}' });
    expect(b).toEqual({ status: 'fulfilled', value: undefined });
    expect(c).toMatchObject({ status: 'rejected', reason: { name: 'AccessDeniedException' } });
  });
});

describe('Function: readParametersUnder', () => {
  beforeEach(() => ssm.reset());

  it('reads every page of the parameters directly under the path, 10 at most a page', async () => {
    // Prepare
    const page = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ Name: `/f/p${from + i}`, Value: String(from + i) }));
    ssm
      .on(GetParametersByPathCommand)
      .resolvesOnce({ Parameters: page(0, 10), NextToken: 't1' })
      .resolvesOnce({ Parameters: page(10, 10), NextToken: 't2' })
      .resolves({ Parameters: page(20, 3) });
    // Act
    const found = await readParametersUnder(client(), '/f');
    // Assess
    expect(found.size).toBe(23);
    expect(found.get('/f/p22')).toBe('22');
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 3);
    expect(ssm).toHaveReceivedNthCommandWith(GetParametersByPathCommand, 3, {
      Path: '/f',
      Recursive: false,
      MaxResults: SSM_MAX_RESULTS,
      NextToken: 't2',
    });
  });
});

describe('Function: writeParameter', () => {
  beforeEach(() => ssm.reset());

  it('overwrites a String parameter and gives its new version', async () => {
    // Prepare
    ssm.on(PutParameterCommand).resolves({ Version: 7 });
    // Act
    const version = await writeParameter(client(), '/f/a', '{"dryRun":true}');
    // Assess
    expect(version).toBe(7);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/f/a',
      Value: '{"dryRun":true}',
      Type: 'String',
      Overwrite: true,
    });
  });
});
