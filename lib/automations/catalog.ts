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

/**
 * Automations whose units are split across workers, each with its own queue and its own bundle (README: "Why one
 * work queue and one worker per automation"): dispatch puts one unit per (account, region) and part. The first part
 * (no name) is `<automation>Worker` on `<prefix><automation>`; a named part is `<automation><Part>Worker` on
 * `<prefix><automation>-<part>`. backupVerify's `s3` part checks the buckets, its `caches` part ElastiCache.
 */
export const WORKER_PARTS: Readonly<Partial<Record<AutomationName, readonly string[]>>> = {
  backupVerify: ['s3', 'caches'],
};

/** The parts of an automation's units, the first one unnamed. */
export const partsOf = (automation: string): readonly (string | undefined)[] => [
  undefined,
  ...(WORKER_PARTS[automation as AutomationName] ?? []),
];

const capital = (s: string) => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

/** The serverless function name (without the `warden-<stage>-` prefix) of the worker that runs one part. */
export const workerFunctionName = (automation: string, part?: string): string =>
  `${automation}${part ? capital(part) : ''}Worker`;

/** The work queue of one part, after the stage's queue prefix. */
export const workQueueName = (automation: string, part?: string): string =>
  part ? `${automation}-${part}` : automation;
