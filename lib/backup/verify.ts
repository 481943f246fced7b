import type { AutomationResult } from '../automations/types.js';
import { CATALOG } from './catalog.js';
import type { VerifyOptions } from './options.js';
import { type VerifyDeps, verifyKinds } from './verifyKinds.js';

export { evaluateResource } from './kinds/rds.js';
export {
  kindOf,
  kindOfArn,
  type ResourceReport,
  VERIFY_AUTOMATION,
  type VerifyDeps,
} from './verifyKinds.js';

/**
 * backupVerify: scans every selected kind of the catalog in the target (RDS, Aurora, DynamoDB, ElastiCache, S3, AWS
 * Backup), runs each resource's checks against its tags or the kind's defaults, and reports one row per resource.
 */
export const verifyBackups = (deps: VerifyDeps, options: VerifyOptions): Promise<AutomationResult> =>
  verifyKinds(CATALOG, deps, options);
