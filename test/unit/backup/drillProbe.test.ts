import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../../lib/aws/clients.js';
import type { DynamoDbDrillApi } from '../../../lib/aws/dynamodb.js';
import { drillOptionsSchema } from '../../../lib/backup/drill/messages.js';
import { probeDrills } from '../../../lib/backup/drill/probe.js';
import { DR_SETTINGS } from './drillFakes.js';
import { ACCOUNT, DR_REGION, fakeRds, REGION, TARGET } from './fixtures.js';

const checks = [{ kind: 'rowCount', table: 't', min: 1 }];

describe('Function: probeDrills', () => {
  it('reads where drills restore (home, DR region, tables) without creating anything, and names a place it cannot', async () => {
    // Prepare
    const options = v.parse(drillOptionsSchema, {
      ...DR_SETTINGS,
      databases: { orders: { database: 'app', checks, from: 'dr' } },
      tables: { sessions: {} },
    });
    const read: string[] = [];
    const rdsByRegion = new Map([REGION, DR_REGION].map((r) => [r, fakeRds({}, r)]));
    const rdsFor = (t: Target) => rdsByRegion.get(t.region)!.api;
    const dynamoFor = (t: Target) =>
      ({
        table: async (name: string) => {
          read.push(`${t.region} ${name}`);
          return undefined;
        },
      }) as unknown as DynamoDbDrillApi;
    // Act
    const ok = await probeDrills({ rdsFor, dynamoFor }, options, TARGET);
    rdsByRegion.get(DR_REGION)!.fail.describeInstance = () =>
      Object.assign(new Error('not authorized to perform rds:DescribeDBInstances'), { name: 'AccessDenied' });
    const denied = probeDrills({ rdsFor, dynamoFor }, options, TARGET);
    // Assess
    expect(ok.places).toEqual([`${ACCOUNT}/${REGION}`, `${ACCOUNT}/${DR_REGION}`]);
    expect(rdsByRegion.get(DR_REGION)!.calls[0]).toEqual({
      method: 'describeInstance',
      args: ['wd-selfcheck-probe'],
    });
    expect(read).toContain(`${REGION} warden-drill-selfcheck-probe`);
    await expect(denied).rejects.toThrow(
      `restoreDrill cannot read where drills restore: ${ACCOUNT}/${DR_REGION}: AccessDenied: not authorized`,
    );
    for (const f of rdsByRegion.values())
      expect(f.calls.every((c) => c.method === 'describeInstance')).toBe(true);
  });
});
