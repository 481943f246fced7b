import * as v from 'valibot';
import type { Target } from '../../aws/clients.js';
import { describeError, ExecutionError } from '../../errors.js';
import { strictObject } from '../../schemas.js';
import type { StepDeps } from './flow.js';
import type { DrillOptions } from './messages.js';
import { RDS_DRILL_PREFIX, sweepPlaces } from './sweep.js';
import { TABLE_DRILL_PREFIX } from './tableMessages.js';

/** Selfcheck's request to restoreDrill: try its reads where drills restore, change nothing. */
export const drillProbeSchema = strictObject({ probe: v.literal('restoreDrill') });
export type DrillProbe = v.InferOutput<typeof drillProbeSchema>;

const PROBE_NAME = 'selfcheck-probe';

/**
 * restoreDrill's selfcheck probe: in every place drills restore to (each database's and table's account and region,
 * the DR region), one read of a drill instance and one of a drill table that do not exist. A missing role, region
 * or permission fails with the place named; nothing is created.
 */
export async function probeDrills(
  deps: Pick<StepDeps, 'rdsFor' | 'dynamoFor'>,
  options: DrillOptions,
  home: Target,
): Promise<{ places: string[] }> {
  const places = sweepPlaces(options, home);
  const failures: string[] = [];
  for (const place of places) {
    try {
      await deps.rdsFor(place).describeInstance(`${RDS_DRILL_PREFIX}${PROBE_NAME}`);
      if (Object.keys(options.tables).length > 0)
        await deps.dynamoFor(place).table(`${TABLE_DRILL_PREFIX}${PROBE_NAME}`);
    } catch (err) {
      failures.push(`${place.account}/${place.region}: ${describeError(err)}`);
    }
  }
  if (failures.length > 0)
    throw new ExecutionError(`restoreDrill cannot read where drills restore: ${failures.join('; ')}`);
  return { places: places.map((p) => `${p.account}/${p.region}`) };
}
