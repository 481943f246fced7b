import { describe, expect, it } from 'vitest';
import { packageTemplate } from './packageTemplate.js';
import { activeResources, conditionValues } from './templateModel.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const ORG_ACTIONS = [
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListRoots',
  'organizations:ListTagsForResource',
];

function organizationsGrants(
  resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>,
) {
  const out: { id: string; roles: unknown; actions: string[] }[] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::Role') continue;
    const docs =
      r.Type === 'AWS::IAM::Policy'
        ? [r.Properties?.PolicyDocument]
        : ((r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map(
            (p) => p.PolicyDocument,
          );
    const actions = docs
      .flatMap((d) => (d as { Statement: Statement[] }).Statement)
      .flatMap((s) => ([] as string[]).concat(s.Action));
    if (actions.some((a) => a.startsWith('organizations:')))
      out.push({ id, roles: r.Properties?.Roles, actions });
  }
  return out;
}

/** The cost worker's own Organizations reads (names and budgets by OU in the linked-account mode), always there. */
const COST_WORKER = 'CostAnomalyWorkerIamRoleLambdaExecution';
const COST_ORG_ACTIONS = [
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
];

/** The Organizations grants of target resolution: every one but the cost worker's. */
function targetGrants(resources: Parameters<typeof organizationsGrants>[0]) {
  const all = organizationsGrants(resources);
  const cost = all.find((g) => g.id === COST_WORKER);
  expect(cost?.actions.filter((a) => a.startsWith('organizations:')).sort()).toEqual(COST_ORG_ACTIONS);
  return all.filter((g) => g.id !== COST_WORKER);
}

describe('Template: targets from AWS Organizations', () => {
  it('grants no Organizations read with the explicit source', async () => {
    // Act
    const t = await packageTemplate('dev');
    // Assess
    expect(conditionValues(t).OrganizationsTargets).toBe(false);
    expect(targetGrants(activeResources(t) as never)).toEqual([]);
  }, 300_000);

  it('grants exactly the Organizations reads and the findings queue to dispatch, selfcheck and autoRollback with targetSource organizations', async () => {
    // Act
    const t = await packageTemplate('dev', { targetSource: 'organizations', orgUnits: 'ou-ab12-abcdefgh' });
    const active = activeResources(t);
    // Assess
    const grants = targetGrants(active as never);
    expect(grants.map((g) => g.id)).toEqual(['OrganizationsTargetsPolicy']);
    expect(grants[0]?.roles).toEqual([
      { Ref: 'DispatchIamRoleLambdaExecution' },
      { Ref: 'SelfcheckIamRoleLambdaExecution' },
      { Ref: 'AutoRollbackIamRoleLambdaExecution' },
    ]);
    expect(grants[0]?.actions.filter((a) => a.startsWith('organizations:')).sort()).toEqual(ORG_ACTIONS);
    expect(grants[0]?.actions.filter((a) => !a.startsWith('organizations:')).sort()).toEqual([
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
    const dispatch = active.DispatchLambdaFunction?.Properties as
      | { Environment: { Variables: Record<string, string> } }
      | undefined;
    const env = dispatch?.Environment.Variables;
    expect(env).toMatchObject({
      WARDEN_TARGET_SOURCE: 'organizations',
      WARDEN_ORG_UNITS: 'ou-ab12-abcdefgh',
    });
  }, 300_000);
});
