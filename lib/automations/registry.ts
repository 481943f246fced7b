import { backupVerifyAutomation } from '../backup/automation.js';
import { snapshotLifecycleAutomation } from '../backup/lifecycleAutomation.js';
import { costAnomalyAutomation } from '../cost/automation.js';
import { ValidationError } from '../errors.js';
import { secretExpiryAutomation } from '../secrets/automation.js';
import type { AnyAutomation } from './types.js';

/**
 * name -> automation. Areas register here; dispatch, worker, selfcheck, the CLI and the demo walk this list,
 * and the template test checks the packaged IAM covers exactly the declared permissions.
 */
export const AUTOMATIONS: readonly AnyAutomation[] = [
  backupVerifyAutomation,
  snapshotLifecycleAutomation,
  secretExpiryAutomation,
  costAnomalyAutomation,
];

export function automationNames(): string[] {
  return AUTOMATIONS.map((a) => a.name);
}

export function getAutomation(name: string): AnyAutomation {
  const found = AUTOMATIONS.find((a) => a.name === name);
  if (!found) {
    throw new ValidationError('automation', [
      { field: 'automation', expected: `one of ${automationNames().join(', ') || '(none registered)'}` },
    ]);
  }
  return found;
}
