/**
 * Names of the scheduled automations, without their code: dispatch needs only these, and importing the
 * registry would put every automation's SDK clients in its bundle. A test keeps it equal to the registry.
 */
export const AUTOMATION_NAMES = ['backupVerify', 'snapshotLifecycle', 'secretExpiry', 'costAnomaly'] as const;
export type AutomationName = (typeof AUTOMATION_NAMES)[number];

export function isAutomationName(name: string): name is AutomationName {
  return (AUTOMATION_NAMES as readonly string[]).includes(name);
}

/**
 * Automations whose data covers a whole account (Cost Explorer): dispatched once per account, in the home
 * region, since running them per region would repeat the same findings.
 */
export const ACCOUNT_SCOPED: ReadonlySet<AutomationName> = new Set(['costAnomaly']);
