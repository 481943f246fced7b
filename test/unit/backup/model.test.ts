import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { drillMessageSchema, drillOptionsSchema } from '../../../lib/backup/drill/messages.js';
import { drillScheduleSchema } from '../../../lib/backup/drill/schedule.js';
import {
  fromCluster,
  fromClusterSnapshot,
  fromInstance,
  fromSnapshot,
  tagMap,
} from '../../../lib/backup/model.js';
import { savedRdsApi } from '../../../lib/backup/savedRds.js';
import { sqsEventSchema } from '../../../lib/runtime/sqsEvent.js';
import { REGION } from './fixtures.js';

describe('Function: fromInstance', () => {
  it('ignores entries without an identifier and Aurora members, and defaults missing fields', () => {
    expect(fromInstance({})).toBeUndefined();
    expect(fromInstance({ DBInstanceIdentifier: 'm', DBClusterIdentifier: 'c' })).toBeUndefined();
    expect(fromInstance({ DBInstanceIdentifier: 'x' })).toMatchObject({
      arn: 'x',
      engine: 'unknown',
      encrypted: false,
      retentionDays: 0,
      tags: {},
    });
    expect(fromCluster({})).toBeUndefined();
    expect(fromCluster({ DBClusterIdentifier: 'c' })).toMatchObject({
      kind: 'cluster',
      status: 'unknown',
      retentionDays: 0,
    });
  });

  it('keeps the original time of a copied snapshot as its recovery point', () => {
    // Prepare
    const original = new Date('2026-11-20T00:00:00Z');
    // Act
    const s = fromSnapshot({
      DBSnapshotIdentifier: 'c',
      DBInstanceIdentifier: 'a',
      SnapshotCreateTime: new Date(),
      OriginalSnapshotCreateTime: original,
    });
    // Assess
    expect(s?.createdAt).toEqual(original);
    expect(fromSnapshot({ DBSnapshotIdentifier: 'c' })).toBeUndefined();
    expect(fromClusterSnapshot({ DBClusterSnapshotIdentifier: 'c' })).toBeUndefined();
    expect(fromClusterSnapshot({ DBClusterSnapshotIdentifier: 'c', DBClusterIdentifier: 'k' })).toMatchObject(
      { type: 'unknown', encrypted: false },
    );
    expect(tagMap([{ Key: 'a' }, { Value: 'orphan' }])).toEqual({ a: '' });
  });
});

describe('Function: savedRdsApi', () => {
  it('serves saved responses with dates revived and refuses every mutation', async () => {
    // Prepare
    const api = savedRdsApi(REGION, {
      DBInstances: [
        { DBInstanceIdentifier: 'a', LatestRestorableTime: '2026-11-26T10:00:00Z' as unknown as Date },
      ],
      DBSnapshots: [{ DBSnapshotIdentifier: 's', DBInstanceIdentifier: 'a' }],
    });
    // Act / Assess
    expect((await api.describeInstance('a'))?.LatestRestorableTime).toEqual(new Date('2026-11-26T10:00:00Z'));
    expect(await api.listSnapshots('b')).toEqual([]);
    expect(await api.listClusters()).toEqual([]);
    await expect(api.deleteSnapshot('s')).rejects.toThrow('read-only');
  });
});

describe('Function: sample events', () => {
  it('events/restore-drill.json is a valid drill batch and the schedule event is valid', () => {
    // Prepare
    const batch = JSON.parse(readFileSync('events/restore-drill.json', 'utf8'));
    const schedule = JSON.parse(readFileSync('events/restore-drill-schedule.json', 'utf8'));
    // Act
    const event = v.parse(sqsEventSchema, batch);
    // Assess
    expect(v.safeParse(drillMessageSchema, JSON.parse(event.Records[0]?.body ?? '')).success).toBe(true);
    expect(v.parse(drillScheduleSchema, schedule)).toEqual({ start: 'all' });
  });

  it('examples/backup/drill.json is a valid drill config with a home drill, a DR drill and a table drill', () => {
    // Act
    const config = v.parse(
      drillOptionsSchema,
      JSON.parse(readFileSync('examples/backup/drill.json', 'utf8')),
    );
    // Assess
    expect(Object.values(config.databases).map((d) => d.from)).toEqual(['home', 'dr']);
    expect(config.dr?.region).toBe('eu-central-1');
    expect(Object.keys(config.tables)).toEqual(['sessions']);
  });
});
