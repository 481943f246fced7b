import { beforeAll, describe, expect, it } from 'vitest';
import { partsOf, workerFunctionName, workQueueName } from '../../../lib/automations/catalog.js';
import { AUTOMATIONS } from '../../../lib/automations/registry.js';
import type { CfnResource, CfnTemplate as Template } from '../../../lib/dashboards/template.js';
import { packageTemplate as packagedTemplate, type Stage } from './packageTemplate.js';

function resourcesOfType(t: Template, type: string): [string, CfnResource][] {
  return Object.entries(t.Resources).filter(([, r]) => r.Type === type);
}

const STAGES: Stage[] = ['dev', 'staging', 'prod'];
const RETENTION: Record<Stage, number> = { dev: 7, staging: 30, prod: 90 };

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

function roleStatements(t: Template, roleId: string): Statement[] {
  const role = t.Resources[roleId]?.Properties as
    | { Policies?: { PolicyDocument: { Statement: Statement[] } }[] }
    | undefined;
  return (role?.Policies ?? []).flatMap((p) => p.PolicyDocument.Statement);
}

/** Logical ids of the functions each trigger (schedule rule, SQS mapping, EventBridge rule, permission) points at. */
function triggered(t: Template): Set<string> {
  const out = new Set<string>();
  // Triggers point at the function or, with warden's canary releases, at its `live` alias.
  const collect = (v: unknown) => {
    for (const m of JSON.stringify(v).matchAll(/"(\w+?)(?:LambdaFunction|AliasLive)"/g))
      out.add(`${m[1]}LambdaFunction`);
  };
  for (const [, r] of resourcesOfType(t, 'AWS::Events::Rule')) collect(r.Properties?.Targets);
  for (const [, r] of resourcesOfType(t, 'AWS::Lambda::EventSourceMapping'))
    collect(r.Properties?.FunctionName);
  for (const [, r] of resourcesOfType(t, 'AWS::Lambda::Permission')) collect(r.Properties?.FunctionName);
  return out;
}

beforeAll(() => Promise.all(STAGES.map((s) => packagedTemplate(s))), 300_000);

describe.each(STAGES)('Template: %s stage', (stage) => {
  it('packages, with every function on nodejs22.x arm64, traced, and its own role', async () => {
    // Act
    const t = await packagedTemplate(stage);
    const functions = resourcesOfType(t, 'AWS::Lambda::Function');
    // Assess
    expect(functions.length).toBeGreaterThanOrEqual(3);
    const roles = new Set<string>();
    for (const [id, fn] of functions) {
      const p = fn.Properties as Record<string, unknown>;
      expect(p.Runtime, id).toBe('nodejs22.x');
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      const role = (p.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(role, id).toBe(id.replace(/LambdaFunction$/, 'IamRoleLambdaExecution'));
      roles.add(role);
    }
    expect(roles.size).toBe(functions.length);
  });

  it('triggers every function from a schedule, queue or rule, but selfcheck (after a deploy) and the drill validators (by restoreDrill)', async () => {
    // Act
    const t = await packagedTemplate(stage);
    const fired = triggered(t);
    // Assess
    const invoked = ['DrillValidatePostgres', 'DrillValidateMysql'];
    for (const [id] of resourcesOfType(t, 'AWS::Lambda::Function')) {
      if (id === 'SelfcheckLambdaFunction' || invoked.some((v) => id === `${v}LambdaFunction`)) continue;
      expect(fired.has(id), `${id} has no trigger`).toBe(true);
    }
    const drillFn = t.Resources.RestoreDrillLambdaFunction?.Properties as {
      Role: { 'Fn::GetAtt': [string] };
    };
    const invokes = roleStatements(t, drillFn.Role['Fn::GetAtt'][0])
      .filter((st) => ([] as string[]).concat(st.Action).includes('lambda:InvokeFunction'))
      .map((st) => JSON.stringify(st.Resource));
    for (const v of invoked) {
      const name = v.charAt(0).toLowerCase() + v.slice(1);
      expect(invokes.join(' '), `restoreDrill may invoke ${name}`).toContain(`warden-${stage}-${name}:*`);
    }
    const schedules = resourcesOfType(t, 'AWS::Events::Rule').flatMap(
      ([, r]) => (r.Properties?.Targets as { Input?: string }[]) ?? [],
    );
    const dispatched = schedules.map((x) =>
      x.Input ? (JSON.parse(x.Input) as { automation?: string }).automation : undefined,
    );
    expect(dispatched).toEqual(
      expect.arrayContaining(['backupVerify', 'snapshotLifecycle', 'secretExpiry', 'costAnomaly']),
    );
  });

  it('grants no wildcard actions, and scopes resources to ARNs or conditions', async () => {
    // Act
    const t = await packagedTemplate(stage);
    // Assess
    for (const [roleId] of resourcesOfType(t, 'AWS::IAM::Role')) {
      for (const s of roleStatements(t, roleId)) {
        const actions = ([] as string[]).concat(s.Action);
        for (const a of actions) expect(a === '*' || a.endsWith(':*'), `${roleId}: ${a}`).toBe(false);
        if (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))) {
          const readOnly = actions.every(
            (a) =>
              /^[\w-]+:(Get|Describe|List|BatchGet|Lookup)/.test(a) ||
              a === 'xray:PutTraceSegments' ||
              a === 'xray:PutTelemetryRecords',
          );
          expect(readOnly || s.Condition !== undefined, `${roleId}: ${actions.join(',')} on *`).toBe(true);
        }
      }
    }
  });

  it(`sets log retention to ${RETENTION[stage]} days on every log group`, async () => {
    // Act
    const t = await packagedTemplate(stage);
    const groups = resourcesOfType(t, 'AWS::Logs::LogGroup');
    // Assess
    expect(groups.length).toBeGreaterThan(0);
    for (const [id, g] of groups) {
      if (id.startsWith('Selfcheck') || id.endsWith('LogGroup'))
        expect(g.Properties?.RetentionInDays, id).toBeDefined();
    }
    expect(t.Resources.SelfcheckLogGroup?.Properties?.RetentionInDays).toBe(RETENTION[stage]);
  });

  it('passes each stage its parameters through the environment', async () => {
    // Act
    const t = await packagedTemplate(stage);
    const props = t.Resources.DispatchLambdaFunction?.Properties as
      | { Environment: { Variables: Record<string, unknown> } }
      | undefined;
    const env = props?.Environment.Variables ?? {};
    // Assess
    expect(env.WARDEN_STAGE).toBe(stage);
    expect(env.WARDEN_DRY_RUN).toBe(stage === 'dev' ? 'true' : 'false');
    expect(env.WARDEN_FLAGS_PATH).toBe(`/warden/${stage}/flags`);
  });

  it.each(
    AUTOMATIONS.flatMap((a) =>
      partsOf(a.name).map((p) => [workerFunctionName(a.name, p), a.name, p] as const),
    ),
  )(
    'feeds %s from its own work queue, where dispatch puts its part of the units, with a DLQ',
    async (worker, automation, part) => {
      // Prepare
      const t = await packagedTemplate(stage);
      const fn = `${worker[0]!.toUpperCase()}${worker.slice(1)}AliasLive`;
      // Act
      const mappings = Object.values(t.Resources).filter(
        (r) =>
          r.Type === 'AWS::Lambda::EventSourceMapping' &&
          JSON.stringify(r.Properties?.FunctionName).includes(`"${fn}"`),
      );
      // Assess
      expect(mappings).toHaveLength(1);
      const arn = mappings[0]!.Properties!.EventSourceArn as { 'Fn::GetAtt': [string, string] };
      const queueId = arn['Fn::GetAtt'][0];
      const queue = t.Resources[queueId]?.Properties as
        | { QueueName: string; RedrivePolicy?: unknown }
        | undefined;
      expect(queue?.QueueName).toBe(`warden-${stage}-work-${workQueueName(automation, part)}`);
      expect(queue?.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
    },
  );

  it.each(
    AUTOMATIONS.flatMap((a) =>
      (a.workers ?? [a]).map((w) => [workerFunctionName(a.name, w.part), w] as const),
    ),
  )(
    'gives %s exactly the permissions its automation (or part) declares (target and state), plus the fan-out plumbing',
    async (worker, automation) => {
      // Prepare
      const t = await packagedTemplate(stage);
      const plumbing = new Set([
        'logs:CreateLogStream',
        'logs:CreateLogGroup',
        'logs:PutLogEvents',
        'logs:TagResource',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:SendMessage',
        'sqs:GetQueueUrl',
        'sts:AssumeRole',
        'kms:GenerateDataKey',
        'kms:Decrypt',
      ]);
      // Act
      const roleId = `${worker[0]!.toUpperCase()}${worker.slice(1)}IamRoleLambdaExecution`;
      const actions = new Set(roleStatements(t, roleId).flatMap((st) => ([] as string[]).concat(st.Action)));
      // Assess
      const declared = [...automation.permissions, ...(automation.statePermissions ?? [])];
      expect([...actions].filter((a) => !plumbing.has(a)).sort()).toEqual(declared.sort());
      expect(actions.has('xray:PutTraceSegments')).toBe(true);
      // State: the state table only, and only the automation's own items.
      const state = roleStatements(t, roleId).filter((st) => String(st.Action).startsWith('dynamodb:'));
      for (const st of state) {
        expect(st.Resource).toEqual({ 'Fn::GetAtt': ['StateTable', 'Arn'] });
        expect(JSON.stringify(st.Condition)).toMatch(/"dynamodb:LeadingKeys":\["\w+#\*"\]/);
      }
    },
  );
});
