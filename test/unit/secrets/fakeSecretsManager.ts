import { randomInt, randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  type DescribeSecretCommandInput,
  GetRandomPasswordCommand,
  type GetRandomPasswordCommandInput,
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  type ListSecretsCommandInput,
  ListSecretVersionIdsCommand,
  type ListSecretVersionIdsCommandInput,
  PutSecretValueCommand,
  type PutSecretValueCommandInput,
  ResourceExistsException,
  ResourceNotFoundException,
  RotateSecretCommand,
  type RotateSecretCommandInput,
  type SecretListEntry,
  SecretsManagerClient,
  TagResourceCommand,
  type TagResourceCommandInput,
  UntagResourceCommand,
  type UntagResourceCommandInput,
  UpdateSecretVersionStageCommand,
  type UpdateSecretVersionStageCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { secretsManagerPage } from '../../support/awsPaging.js';

interface Version {
  value: string | undefined;
  stages: Set<string>;
  created: Date;
}

export interface FakeSecret {
  arn: string;
  name: string;
  rotationEnabled: boolean;
  rotationDays: number | undefined;
  lastRotatedDate: Date | undefined;
  lastChangedDate: Date;
  tags: { Key: string; Value: string }[];
  versions: Map<string, Version>;
}

const meta = { $metadata: {} };

/**
 * An in-memory Secrets Manager with the service's version and staging-label rules, served through
 * aws-sdk-client-mock: AWSCURRENT moves push AWSPREVIOUS, a version left without labels disappears, a pending
 * version created by RotateSecret has no value until PutSecretValue, and a token reused with another value fails.
 */
export class SecretStore {
  readonly secrets = new Map<string, FakeSecret>();
  clock: () => Date = () => new Date('2026-11-26T10:00:00Z');
  /** Called after RotateSecret staged the new version (tests run the rotation function here). */
  onRotate: ((arn: string, token: string) => Promise<void>) | undefined;

  add(input: {
    name: string;
    value?: string;
    rotationEnabled?: boolean;
    rotationDays?: number;
    tags?: Record<string, string>;
  }): string {
    const arn = `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${input.name}-${randomUUID().slice(0, 6)}`;
    const versions = new Map<string, Version>();
    if (input.value !== undefined)
      versions.set(randomUUID(), {
        value: input.value,
        stages: new Set(['AWSCURRENT']),
        created: this.clock(),
      });
    this.secrets.set(arn, {
      arn,
      name: input.name,
      rotationEnabled: input.rotationEnabled ?? true,
      rotationDays: input.rotationDays ?? 30,
      lastRotatedDate: undefined,
      lastChangedDate: this.clock(),
      tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      versions,
    });
    return arn;
  }

  find(id: string): FakeSecret {
    const s = this.secrets.get(id) ?? [...this.secrets.values()].find((x) => x.name === id);
    if (!s)
      throw new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret.",
        ...meta,
      });
    return s;
  }

  holder(s: FakeSecret, stage: string): string | undefined {
    return [...s.versions.entries()].find(([, v]) => v.stages.has(stage))?.[0];
  }

  value(id: string, stage: string): string | undefined {
    const s = this.find(id);
    const v = this.holder(s, stage);
    return v ? s.versions.get(v)?.value : undefined;
  }

  /** Version id -> sorted labels, and values: equal snapshots mean equal state. */
  snapshot(id: string): Record<string, { stages: string[]; value: string | undefined }> {
    const s = this.find(id);
    return Object.fromEntries(
      [...s.versions.entries()].map(([k, v]) => [k, { stages: [...v.stages].sort(), value: v.value }]),
    );
  }

  #attach(s: FakeSecret, versionId: string, stage: string): void {
    const target = s.versions.get(versionId);
    if (!target) throw new ResourceNotFoundException({ message: `no version ${versionId}`, ...meta });
    const previous = this.holder(s, stage);
    if (previous === versionId) return;
    if (previous) s.versions.get(previous)?.stages.delete(stage);
    target.stages.add(stage);
    if (stage === 'AWSCURRENT') {
      s.lastChangedDate = this.clock();
      if (previous) this.#attach(s, previous, 'AWSPREVIOUS');
    }
    this.#prune(s);
  }

  #prune(s: FakeSecret): void {
    for (const [id, v] of s.versions) if (v.stages.size === 0) s.versions.delete(id);
  }

  describe(input: { SecretId?: string }) {
    const s = this.find(input.SecretId ?? '');
    return {
      ARN: s.arn,
      Name: s.name,
      RotationEnabled: s.rotationEnabled,
      VersionIdsToStages: Object.fromEntries([...s.versions.entries()].map(([k, v]) => [k, [...v.stages]])),
      Tags: s.tags,
    };
  }

  /** One page of versions: MaxResults and NextToken within the service's limits, as it pages them. */
  versionIds(input: { SecretId?: string; MaxResults?: number; NextToken?: string }) {
    const s = this.find(input.SecretId ?? '');
    const page = secretsManagerPage([...s.versions.entries()], input);
    return {
      ARN: s.arn,
      Name: s.name,
      Versions: page.items.map(([VersionId, v]) => ({
        VersionId,
        VersionStages: [...v.stages],
        CreatedDate: v.created,
      })),
      ...(page.NextToken ? { NextToken: page.NextToken } : {}),
    };
  }

  tag(input: { SecretId?: string; Tags?: { Key?: string; Value?: string }[] }) {
    const s = this.find(input.SecretId ?? '');
    for (const t of input.Tags ?? []) {
      s.tags = s.tags.filter((x) => x.Key !== t.Key);
      s.tags.push({ Key: t.Key ?? '', Value: t.Value ?? '' });
    }
    return {};
  }

  untag(input: { SecretId?: string; TagKeys?: string[] }) {
    const s = this.find(input.SecretId ?? '');
    s.tags = s.tags.filter((x) => !(input.TagKeys ?? []).includes(x.Key));
    return {};
  }

  get(input: { SecretId?: string; VersionId?: string; VersionStage?: string }) {
    const s = this.find(input.SecretId ?? '');
    const id = input.VersionId ?? this.holder(s, input.VersionStage ?? 'AWSCURRENT');
    const v = id ? s.versions.get(id) : undefined;
    if (!id || !v || (input.VersionStage && !v.stages.has(input.VersionStage)) || v.value === undefined) {
      throw new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret value.",
        ...meta,
      });
    }
    return { ARN: s.arn, Name: s.name, VersionId: id, SecretString: v.value, VersionStages: [...v.stages] };
  }

  put(input: {
    SecretId?: string;
    ClientRequestToken?: string;
    SecretString?: string;
    VersionStages?: string[];
  }) {
    const s = this.find(input.SecretId ?? '');
    const id = input.ClientRequestToken ?? randomUUID();
    const existing = s.versions.get(id);
    if (existing?.value !== undefined && existing.value !== input.SecretString) {
      throw new ResourceExistsException({
        message: 'A version with this token already exists with different content.',
        ...meta,
      });
    }
    if (existing) existing.value = input.SecretString;
    else s.versions.set(id, { value: input.SecretString, stages: new Set(), created: this.clock() });
    for (const stage of input.VersionStages ?? ['AWSCURRENT']) this.#attach(s, id, stage);
    return {
      ARN: s.arn,
      Name: s.name,
      VersionId: id,
      VersionStages: [...(s.versions.get(id)?.stages ?? [])],
    };
  }

  updateStage(input: {
    SecretId?: string;
    VersionStage?: string;
    MoveToVersionId?: string;
    RemoveFromVersionId?: string;
  }) {
    const s = this.find(input.SecretId ?? '');
    const stage = input.VersionStage ?? '';
    const holder = this.holder(s, stage);
    if (input.RemoveFromVersionId && holder !== input.RemoveFromVersionId) {
      throw new InvalidParameterException({
        message: `The staging label ${stage} is not attached to ${input.RemoveFromVersionId}.`,
        ...meta,
      });
    }
    if (input.MoveToVersionId) {
      if (holder && holder !== input.MoveToVersionId && holder !== input.RemoveFromVersionId) {
        throw new InvalidParameterException({
          message: `The staging label ${stage} is attached to ${holder}: give RemoveFromVersionId.`,
          ...meta,
        });
      }
      this.#attach(s, input.MoveToVersionId, stage);
      if (stage === 'AWSCURRENT') s.lastRotatedDate = this.clock();
    } else if (holder) {
      s.versions.get(holder)?.stages.delete(stage);
      this.#prune(s);
    }
    return { ARN: s.arn, Name: s.name };
  }

  randomPassword(input: { PasswordLength?: number; ExcludeCharacters?: string }) {
    const alphabet = [...Array(94).keys()]
      .map((i) => String.fromCharCode(33 + i))
      .filter((c) => !(input.ExcludeCharacters ?? '').includes(c));
    const length = input.PasswordLength ?? 32;
    return { RandomPassword: Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('') };
  }

  /** One page of secrets: MaxResults and NextToken within the service's limits, as it pages them. */
  list(input: { MaxResults?: number; NextToken?: string }) {
    const page = secretsManagerPage([...this.secrets.values()], input);
    const SecretList: SecretListEntry[] = page.items.map((s) => ({
      ARN: s.arn,
      Name: s.name,
      RotationEnabled: s.rotationEnabled,
      ...(s.rotationEnabled && s.rotationDays
        ? { RotationRules: { AutomaticallyAfterDays: s.rotationDays } }
        : {}),
      ...(s.lastRotatedDate ? { LastRotatedDate: s.lastRotatedDate } : {}),
      LastChangedDate: s.lastChangedDate,
      Tags: s.tags,
      SecretVersionsToStages: Object.fromEntries(
        [...s.versions.entries()].map(([k, v]) => [k, [...v.stages]]),
      ),
    }));
    return { SecretList, ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
  }

  async rotate(input: { SecretId?: string; ClientRequestToken?: string }) {
    const s = this.find(input.SecretId ?? '');
    const pending = this.holder(s, 'AWSPENDING');
    if (pending && !s.versions.get(pending)?.stages.has('AWSCURRENT')) {
      throw new InvalidRequestException({
        message: "A previous rotation isn't complete. That rotation will be reattempted.",
        ...meta,
      });
    }
    const token = input.ClientRequestToken ?? randomUUID();
    s.rotationEnabled = true;
    s.versions.set(token, { value: undefined, stages: new Set(), created: this.clock() });
    this.#attach(s, token, 'AWSPENDING');
    await this.onRotate?.(s.arn, token);
    return { ARN: s.arn, Name: s.name, VersionId: token };
  }

  /** Serves this store through an aws-sdk-client-mock stub (reset it in beforeEach, then install again). */
  install(m: SmMock): void {
    m.on(DescribeSecretCommand).callsFake((i: DescribeSecretCommandInput) => this.describe(i));
    m.on(GetSecretValueCommand).callsFake((i: GetSecretValueCommandInput) => this.get(i));
    m.on(PutSecretValueCommand).callsFake((i: PutSecretValueCommandInput) => this.put(i));
    m.on(UpdateSecretVersionStageCommand).callsFake((i: UpdateSecretVersionStageCommandInput) =>
      this.updateStage(i),
    );
    m.on(GetRandomPasswordCommand).callsFake((i: GetRandomPasswordCommandInput) => this.randomPassword(i));
    m.on(ListSecretsCommand).callsFake((i: ListSecretsCommandInput) => this.list(i));
    m.on(ListSecretVersionIdsCommand).callsFake((i: ListSecretVersionIdsCommandInput) => this.versionIds(i));
    m.on(TagResourceCommand).callsFake((i: TagResourceCommandInput) => this.tag(i));
    m.on(UntagResourceCommand).callsFake((i: UntagResourceCommandInput) => this.untag(i));
    m.on(RotateSecretCommand).callsFake((i: RotateSecretCommandInput) => this.rotate(i));
  }
}

const makeMock = () => mockClient(SecretsManagerClient);
export type SmMock = ReturnType<typeof makeMock>;

/** A mocked SecretsManagerClient and a store behind it; call once per describe. */
export function mockSecretsManager() {
  const mock = makeMock();
  return { mock, client: new SecretsManagerClient({ region: 'eu-west-1' }) };
}
