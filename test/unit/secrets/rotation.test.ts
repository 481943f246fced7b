import {
  PutSecretValueCommand,
  ResourceExistsException,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import * as v from 'valibot';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.js';
import { classifyFailure, DatabaseError, RotationError } from '../../../lib/secrets/errors.js';
import { passwordPolicyFrom, rotationEventSchema } from '../../../lib/secrets/event.js';
import {
  DEFAULT_EXCLUDED_CHARACTERS,
  DEFAULT_PASSWORD_POLICY,
  FAILURE_TAG,
  type RotationDeps,
  rotateSecretStep,
} from '../../../lib/secrets/rotation.js';
import {
  baseUser,
  otherUser,
  parseSecretValue,
  strategyOf,
  tlsModeOf,
} from '../../../lib/secrets/secretValue.js';
import { masterLogin } from '../../../lib/secrets/sessions.js';
import { mockSecretsManager, SecretStore } from './fakeSecretsManager.js';

const sm = mockSecretsManager();
let store: SecretStore;
const warnings: string[] = [];
const neverConnect = async () => {
  throw new Error('no database call expected here');
};
const deps = (): RotationDeps => ({
  sm: sm.client,
  connect: neverConnect,
  logger: {
    debug() {},
    info() {},
    warn: (m, ...e) => warnings.push(`${m} ${JSON.stringify(e)}`),
    error() {},
  },
  password: DEFAULT_PASSWORD_POLICY,
  now: () => new Date('2026-11-26T10:00:00Z'),
});
const secret = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    engine: 'postgres',
    host: 'db.internal',
    port: 5432,
    username: 'app',
    password: 'Old-pass1',
    dbname: 'app',
    ...extra,
  });

beforeEach(() => {
  sm.mock.reset();
  store = new SecretStore();
  store.install(sm.mock);
  warnings.length = 0;
});

describe('Function: rotateSecretStep (protocol guards)', () => {
  it('refuses a secret whose rotation is not enabled', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret(), rotationEnabled: false });
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    store.find(arn).rotationEnabled = false;
    // Act
    const result = rotateSecretStep(deps(), { step: 'createSecret', secretId: arn, token });
    // Assess
    await expect(result).rejects.toThrow('rotation is not enabled');
  });

  it('refuses a version that is not staged AWSPENDING', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret() });
    store.put({
      SecretId: arn,
      ClientRequestToken: 'f'.repeat(36),
      SecretString: secret(),
      VersionStages: ['CUSTOM'],
    });
    // Act
    const result = rotateSecretStep(deps(), { step: 'setSecret', secretId: arn, token: 'f'.repeat(36) });
    // Assess
    await expect(result).rejects.toThrow('not staged AWSPENDING');
  });

  it('does nothing for a version that is already AWSCURRENT, and finishSecret drops a leftover AWSPENDING', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret() });
    const current = Object.keys(store.snapshot(arn))[0] ?? '';
    store.find(arn).versions.get(current)?.stages.add('AWSPENDING');
    store.find(arn).tags.push({ Key: FAILURE_TAG, Value: 'network finishSecret 2026-11-26T09:00:00.000Z' });
    // Act
    const set = await rotateSecretStep(deps(), { step: 'setSecret', secretId: arn, token: current });
    const finish = await rotateSecretStep(deps(), { step: 'finishSecret', secretId: arn, token: current });
    // Assess
    expect([set.outcome, finish.outcome]).toEqual(['already-current', 'already-current']);
    expect(store.snapshot(arn)[current]?.stages).toEqual(['AWSCURRENT']);
    expect(store.find(arn).tags).toEqual([]);
  });

  it('creates the pending version once and reuses it on retry', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret({ extra: 'kept' }) });
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    // Act
    const first = await rotateSecretStep(deps(), { step: 'createSecret', secretId: arn, token });
    const pending = store.value(arn, 'AWSPENDING');
    const second = await rotateSecretStep(deps(), { step: 'createSecret', secretId: arn, token });
    // Assess
    expect([first.outcome, second.outcome]).toEqual(['created', 'reused']);
    expect(store.value(arn, 'AWSPENDING')).toBe(pending);
    const value = JSON.parse(pending ?? '{}');
    expect(value).toMatchObject({ username: 'app', extra: 'kept' });
    expect(value.password).toHaveLength(32);
    for (const c of DEFAULT_EXCLUDED_CHARACTERS) expect(value.password).not.toContain(c);
  });

  it('treats a concurrent createSecret that won the race as a reuse', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret() });
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    sm.mock
      .on(PutSecretValueCommand)
      .rejects(new ResourceExistsException({ message: 'exists', $metadata: {} }));
    // Act
    const r = await rotateSecretStep(deps(), { step: 'createSecret', secretId: arn, token });
    // Assess
    expect(r.outcome).toBe('reused');
  });

  it('refuses a pending secret that points at another database, and records the failure on the secret', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret() });
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    store.put({
      SecretId: arn,
      ClientRequestToken: token,
      SecretString: secret({ host: 'evil.example', password: 'New-pass1' }),
      VersionStages: ['AWSPENDING'],
    });
    // Act
    const err = await rotateSecretStep(deps(), { step: 'setSecret', secretId: arn, token }).catch(
      (e: unknown) => e,
    );
    // Assess
    expect(err).toBeInstanceOf(RotationError);
    expect((err as Error).message).toContain('host: expected the same host as AWSCURRENT');
    expect(store.find(arn).tags).toContainEqual({
      Key: FAILURE_TAG,
      Value: 'other setSecret 2026-11-26T10:00:00.000Z',
    });
    expect(JSON.stringify([String(err), warnings])).not.toMatch(/Old-pass1|New-pass1/);
  });

  it('refuses a pending user that is not the current one, and a base name too long for a clone', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret() });
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    store.put({
      SecretId: arn,
      ClientRequestToken: token,
      SecretString: secret({ username: 'root' }),
      VersionStages: ['AWSPENDING'],
    });
    const long = store.add({ name: 'b', value: secret({ username: 'u'.repeat(60), masterarn: 'arn:m' }) });
    const { VersionId: t2 } = await store.rotate({ SecretId: long });
    // Act
    const wrongUser = rotateSecretStep(deps(), { step: 'setSecret', secretId: arn, token });
    const tooLong = rotateSecretStep(deps(), { step: 'createSecret', secretId: long, token: t2 });
    // Assess
    await expect(wrongUser).rejects.toThrow('username: expected one of "app"');
    await expect(tooLong).rejects.toThrow('username: expected at most 57 characters');
  });

  it('logs, and still throws the step error, when the failure cannot be recorded', async () => {
    // Prepare
    const arn = store.add({ name: 'a', value: secret({ engine: 'oracle' }) });
    const { VersionId: token } = await store.rotate({ SecretId: arn });
    sm.mock.on(TagResourceCommand).rejects(new Error('tagging denied'));
    // Act
    const result = rotateSecretStep(deps(), { step: 'createSecret', secretId: arn, token });
    // Assess
    await expect(result).rejects.toThrow('engine: expected a valid value');
    expect(warnings.join('\n')).toContain('cannot record the rotation failure on the secret');
  });
});

describe('Function: parseSecretValue', () => {
  it('normalises engine names and names the bad field without its value', () => {
    // Act
    const v = parseSecretValue(secret({ engine: 'aurora-postgresql', ssl: 'true' }), 'secret');
    // Assess
    expect(v.engine).toBe('postgres');
    expect(tlsModeOf(v)).toBe('verify');
    expect(strategyOf(v)).toBe('single');
    expect(strategyOf({ masterarn: 'arn' })).toBe('alternating');
    expect(() => parseSecretValue(undefined, 'secret')).toThrow('has none');
    expect(() => parseSecretValue('{not json', 'secret')).toThrow('a JSON object');
    expect(() => parseSecretValue(secret({ password: 12345678 }), 'secret')).toThrow(
      /password: expected string/,
    );
    expect([otherUser('app'), otherUser('app_clone'), baseUser('app_clone')]).toEqual([
      'app_clone',
      'app',
      'app',
    ]);
  });
});

describe('Function: classifyFailure', () => {
  it('tells network from authentication failures by their codes', () => {
    // Assess
    expect(classifyFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe('network');
    expect(classifyFailure(Object.assign(new Error('x'), { code: '28P01' }))).toBe('authentication');
    expect(classifyFailure(Object.assign(new Error('x'), { errno: 1045 }))).toBe('authentication');
    expect(classifyFailure(new Error('Connection terminated due to connection timeout'))).toBe('network');
    expect(classifyFailure(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe('network');
    expect(
      classifyFailure(
        new DatabaseError('m', { kind: 'network', engine: 'mysql', endpoint: 'h:1', user: 'u' }),
      ),
    ).toBe('network');
    expect(classifyFailure('boom')).toBe('other');
  });
});

describe('Function: rotationEventSchema / passwordPolicyFrom', () => {
  it('accepts what Secrets Manager sends and reads the policy from config', () => {
    // Assess
    const event = {
      Step: 'testSecret',
      SecretId: 'arn:x',
      ClientRequestToken: '0c5c2a8e-7f3b-4d1a-9e6f-2b8d4c1a7e90',
      RotationToken: 't',
    };
    expect(v.safeParse(rotationEventSchema, event).success).toBe(true);
    expect(v.safeParse(rotationEventSchema, { ...event, Step: 'other' }).success).toBe(false);
    const config = loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1' });
    expect(passwordPolicyFrom(config)).toEqual(DEFAULT_PASSWORD_POLICY);
    expect(
      passwordPolicyFrom({ ...config, rotationPasswordLength: 40, rotationExcludeCharacters: 'ab' } as never),
    ).toEqual({ length: 40, excludeCharacters: 'ab' });
  });
});

describe('Function: masterLogin', () => {
  it('names what is wrong with the master secret without echoing it', async () => {
    // Prepare
    const noValue = store.add({ name: 'm0' });
    const notJson = store.add({ name: 'm1', value: 'Not-json-pass1' });
    const noPassword = store.add({ name: 'm2', value: '{"username":"root"}' });
    const value = parseSecretValue(secret(), 'secret');
    // Act
    const errors = await Promise.all(
      [undefined, noValue, notJson, noPassword].map((masterarn) =>
        masterLogin(sm.client, { ...value, masterarn }).catch((e: unknown) => String(e)),
      ),
    );
    // Assess
    expect(errors).toEqual([
      'ValidationError: invalid secret: masterarn: expected the ARN of the master secret (required here)',
      'ValidationError: invalid master secret: (root): expected an AWSCURRENT version with a value',
      'ValidationError: invalid master secret: (root): expected a JSON object',
      'ValidationError: invalid master secret: password: expected string (missing)',
    ]);
  });
});
