import { beforeAll, describe, expect, it } from 'vitest';
import { isKnownMetric } from '../../../lib/dashboards/catalog.js';
import { alarmsOf, dashboardsOf, widgetMetrics } from '../../../lib/dashboards/inspect.js';
import { LIST_TAGGED_TYPES, MAP_TAGGED_TYPES, tagsOf } from '../../../lib/dashboards/tags.js';
import type { CfnResource, CfnTemplate } from '../../../lib/dashboards/template.js';
import { lintTemplate } from './cfnLint.js';
import { packageTemplate, STAGES } from './packageTemplate.js';
import { activeResources, conditionValues, ofType, refersTo, resolveIf } from './templateModel.js';

const PACKAGE_TIMEOUT = 300_000;
const SAMPLING: Record<string, number> = { dev: 1, staging: 0.2, prod: 0.05 };
const NATS: Record<string, number> = { dev: 1, staging: 1, prod: 2 };
const QUEUE_AGE: Record<string, number> = { dev: 3600, staging: 1800, prod: 900 };
const ERRORS: Record<string, number> = { dev: 3, staging: 1, prod: 1 };
const INTERFACE_SERVICES = ['sqs', 'sns', 'secretsmanager', 'monitoring', 'logs', 'sts', 'rds'];
const VPC_FUNCTIONS = new Set([
  'RotateSecretLambdaFunction',
  'RotateSecretMysqlLambdaFunction',
  'DrillValidatePostgresLambdaFunction',
  'DrillValidateMysqlLambdaFunction',
]);
const READ_VERBS =
  /^(Get|List|Describe|BatchGet|Query|Scan|Head|Lookup|Search|Filter|Check|Validate|Test|Preview|Poll|Receive|Decrypt|Encrypt|GenerateDataKey|ReEncrypt|Sign|Verify)/;

/** Actions AWS only grants on Resource '*' (no resource-level permissions): telemetry writes. */
const WILDCARD_ONLY = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'cloudwatch:PutMetricData',
]);

type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, unknown>;
};

function props(r: CfnResource): Record<string, unknown> {
  return r.Properties ?? {};
}

function serviceOf(endpoint: CfnResource): string {
  const name = props(endpoint).ServiceName as { 'Fn::Sub': string };
  return name['Fn::Sub'].split('.').at(-1) ?? '';
}

/** Every IAM statement of roles and policies, with where it comes from. */
function iamStatements(t: CfnTemplate): [string, Statement][] {
  const out: [string, Statement][] = [];
  for (const [id, r] of Object.entries(t.Resources)) {
    const docs: unknown[] = [];
    if (r.Type === 'AWS::IAM::Role') {
      for (const p of (props(r).Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
        docs.push(p.PolicyDocument);
    }
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy')
      docs.push(props(r).PolicyDocument);
    for (const doc of docs) {
      for (const s of (doc as { Statement?: Statement[] })?.Statement ?? []) out.push([id, s]);
    }
  }
  return out;
}

function ingressRules(t: CfnTemplate): [string, Record<string, unknown>][] {
  const rules: [string, Record<string, unknown>][] = [];
  for (const [id, r] of ofType(t.Resources, 'AWS::EC2::SecurityGroup')) {
    for (const rule of (props(r).SecurityGroupIngress as Record<string, unknown>[] | undefined) ?? [])
      rules.push([id, rule]);
  }
  for (const [id, r] of ofType(t.Resources, 'AWS::EC2::SecurityGroupIngress')) rules.push([id, props(r)]);
  return rules;
}

describe.each(STAGES)('Template: %s stage', (stage) => {
  let t: CfnTemplate;
  let active: Record<string, CfnResource>;
  let conditions: Record<string, boolean>;

  beforeAll(async () => {
    t = await packageTemplate(stage);
    active = activeResources(t);
    conditions = conditionValues(t);
  }, PACKAGE_TIMEOUT);

  it('passes the CloudFormation linter', () => {
    // Act
    const result = lintTemplate(t);

    // Assess
    expect(result.crit).toEqual([]);
    expect(result.warn).toEqual([]);
  });

  it('creates the 10.0.0.0/16 VPC with public and private subnets in two AZs', () => {
    // Prepare
    const vpcs = ofType(active, 'AWS::EC2::VPC');
    const subnets = ofType(active, 'AWS::EC2::Subnet').map(([, r]) => props(r));

    // Assess
    expect(vpcs.map(([, r]) => props(r).CidrBlock)).toEqual(['10.0.0.0/16']);
    expect(subnets.map((s) => s.CidrBlock).sort()).toEqual([
      '10.0.1.0/24',
      '10.0.10.0/24',
      '10.0.11.0/24',
      '10.0.2.0/24',
    ]);
    const az = (cidr: string) => JSON.stringify(subnets.find((s) => s.CidrBlock === cidr)?.AvailabilityZone);
    expect(az('10.0.1.0/24')).toBe(az('10.0.10.0/24'));
    expect(az('10.0.2.0/24')).toBe(az('10.0.11.0/24'));
    expect(az('10.0.1.0/24')).not.toBe(az('10.0.2.0/24'));
    expect(ofType(active, 'AWS::EC2::InternetGateway')).toHaveLength(1);
  });

  it(`routes the private subnets through ${NATS[stage]} NAT gateway(s) and the public ones to the internet gateway`, () => {
    // Prepare
    const nats = ofType(active, 'AWS::EC2::NatGateway');
    const routes = ofType(active, 'AWS::EC2::Route').map(
      ([, r]) => resolveIf(props(r), conditions) as Record<string, unknown>,
    );
    const natRoutes = routes.filter((r) => r.NatGatewayId);

    // Assess
    expect(nats).toHaveLength(NATS[stage] as number);
    expect(
      nats.every(
        ([, n]) =>
          refersTo(props(n).SubnetId, 'PublicSubnetA') || refersTo(props(n).SubnetId, 'PublicSubnetB'),
      ),
    ).toBe(true);
    expect(routes.filter((r) => refersTo(r.GatewayId, 'InternetGateway'))).toHaveLength(1);
    expect(natRoutes.map((r) => r.RouteTableId)).toEqual([
      { Ref: 'PrivateRouteTableA' },
      { Ref: 'PrivateRouteTableB' },
    ]);
    // One NAT per AZ: each private route table uses a different NAT.
    expect(new Set(natRoutes.map((r) => JSON.stringify(r.NatGatewayId))).size).toBe(NATS[stage]);
  });

  it('has S3 and DynamoDB gateway endpoints and private-DNS interface endpoints for the services warden calls', () => {
    // Prepare
    const endpoints = ofType(active, 'AWS::EC2::VPCEndpoint').map(([, r]) => r);
    const gateways = endpoints.filter((e) => props(e).VpcEndpointType === 'Gateway');
    const interfaces = endpoints.filter((e) => props(e).VpcEndpointType === 'Interface');

    // Assess
    expect(gateways.map(serviceOf).sort()).toEqual(['dynamodb', 's3']);
    expect(interfaces.map(serviceOf).sort()).toEqual([...INTERFACE_SERVICES].sort());
    expect(interfaces.every((e) => props(e).PrivateDnsEnabled === true)).toBe(true);
    expect(
      interfaces.every((e) => refersTo((props(e).SecurityGroupIds as unknown[])[0], 'EndpointSecurityGroup')),
    ).toBe(true);
  });

  it('puts restore-drill instances in a DB subnet group over the private subnets', () => {
    // Prepare
    const group = resolveIf(props(t.Resources.DrillSubnetGroup as CfnResource), conditions) as Record<
      string,
      unknown
    >;

    // Assess
    expect(group.DBSubnetGroupName).toBe(`warden-${stage}-drill`);
    expect(group.SubnetIds).toEqual([{ Ref: 'PrivateSubnetA' }, { Ref: 'PrivateSubnetB' }]);
  });

  it('sends VPC flow logs to a log group with a retention', () => {
    // Prepare
    const [flow] = ofType(active, 'AWS::EC2::FlowLog').map(([, r]) => props(r));
    const group = t.Resources[(flow?.LogGroupName as { Ref: string } | undefined)?.Ref ?? ''];

    // Assess
    expect(flow).toMatchObject({ ResourceId: { Ref: 'Vpc' }, ResourceType: 'VPC', TrafficType: 'ALL' });
    expect(group?.Type).toBe('AWS::Logs::LogGroup');
    expect(props(group as CfnResource).RetentionInDays).toEqual(expect.any(Number));
  });

  it('allows no ingress from 0.0.0.0/0 or ::/0 in any security group', () => {
    // Act
    const open = ingressRules(t).filter(
      ([, rule]) => rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0',
    );

    // Assess
    expect(open).toEqual([]);
  });

  it('lets the database, drill and endpoint groups in only from the Lambda group', () => {
    // Prepare
    const rules = ingressRules(t).map(([, r]) => r);

    // Assess
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.CidrIp).toBeUndefined();
      expect(refersTo(rule.SourceSecurityGroupId, 'LambdaSecurityGroup')).toBe(true);
    }
    const ports = (group: string) => rules.filter((r) => refersTo(r.GroupId, group)).map((r) => r.FromPort);
    expect(ports('DatabaseSecurityGroup').sort()).toEqual([3306, 5432]);
    expect(ports('DrillSecurityGroup').sort()).toEqual([3306, 5432]);
    expect(ports('EndpointSecurityGroup')).toEqual([443]);
  });

  it('limits the Lambda group egress to HTTPS to the endpoints and the database ports to the database groups', () => {
    // Prepare
    const sg = props(t.Resources.LambdaSecurityGroup as CfnResource);
    const egress = ofType(active, 'AWS::EC2::SecurityGroupEgress')
      .map(([, r]) => resolveIf(props(r), conditions) as Record<string, unknown>)
      .filter((r) => refersTo(r.GroupId, 'LambdaSecurityGroup'));

    // Assess: the inline rule only replaces AWS's default allow-all egress.
    expect(sg.SecurityGroupEgress).toEqual([
      expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }),
    ]);
    for (const rule of egress) {
      expect(rule.CidrIp).toBeUndefined();
      if (rule.FromPort === 443)
        expect(rule.DestinationSecurityGroupId ?? rule.DestinationPrefixListId).toBeDefined();
      else {
        expect([3306, 5432]).toContain(rule.FromPort);
        const target = rule.DestinationSecurityGroupId;
        expect(refersTo(target, 'DatabaseSecurityGroup') || refersTo(target, 'DrillSecurityGroup')).toBe(
          true,
        );
      }
    }
    expect(
      egress.filter(
        (r) => r.FromPort === 443 && refersTo(r.DestinationSecurityGroupId, 'EndpointSecurityGroup'),
      ),
    ).toHaveLength(1);
  });

  it('places only the database-facing functions in the VPC, with the Lambda group and private subnets', () => {
    // Prepare
    const inVpc = ofType(t.Resources, 'AWS::Lambda::Function').filter(([, r]) => props(r).VpcConfig);

    // Assess
    for (const [id, fn] of inVpc) {
      expect(VPC_FUNCTIONS.has(id), `${id} must not run in the VPC`).toBe(true);
      const vpc = resolveIf(props(fn).VpcConfig, conditions) as {
        SecurityGroupIds: unknown[];
        SubnetIds: unknown[];
      };
      expect(vpc.SecurityGroupIds.some((g) => refersTo(g, 'LambdaSecurityGroup'))).toBe(true);
      expect(vpc.SubnetIds).toEqual([{ Ref: 'PrivateSubnetA' }, { Ref: 'PrivateSubnetB' }]);
    }
    for (const id of VPC_FUNCTIONS) {
      if (t.Resources[id])
        expect(props(t.Resources[id] as CfnResource).VpcConfig, `${id} must run in the VPC`).toBeDefined();
    }
  });

  it('creates a rotating customer-managed key with a least-privilege policy and its alias', () => {
    // Prepare
    const key = props(t.Resources.WardenKey as CfnResource);
    const statements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
    const alias = props(t.Resources.WardenKeyAlias as CfnResource);

    // Assess
    expect(key.EnableKeyRotation).toBe(true);
    expect(alias).toEqual({ AliasName: `alias/warden-${stage}`, TargetKeyId: { Ref: 'WardenKey' } });
    for (const s of statements) {
      expect([s.Action].flat()).not.toContain('kms:*');
      expect(JSON.stringify((s as { Principal?: unknown }).Principal)).not.toBe('"*"');
      const crypto = [s.Action].flat().some((a) => /kms:(Encrypt|Decrypt|GenerateDataKey|ReEncrypt)/.test(a));
      if (crypto)
        expect(s.Condition, `${(s as { Sid?: string }).Sid} uses the key without a condition`).toBeDefined();
    }
    const viaServices = JSON.stringify(statements.map((s) => s.Condition));
    for (const service of ['sqs', 'sns', 'dynamodb'])
      expect(viaServices).toContain(`${service}.\${AWS::Region}.amazonaws.com`);
    expect(JSON.stringify(statements)).toContain(`logs.\${AWS::Region}.amazonaws.com`);
  });

  it('gives every log group a retention and the key', () => {
    // Prepare
    const groups = ofType(t.Resources, 'AWS::Logs::LogGroup');

    // Assess
    expect(groups.length).toBeGreaterThan(0);
    for (const [id, g] of groups) {
      expect(props(g).RetentionInDays, `${id} retention`).toEqual(expect.any(Number));
      expect(refersTo(props(g).KmsKeyId, 'WardenKey'), `${id} key`).toBe(true);
    }
  });

  it('encrypts every queue, topic and table with the key', () => {
    // Prepare
    const queuesAndTopics = [
      ...ofType(t.Resources, 'AWS::SQS::Queue'),
      ...ofType(t.Resources, 'AWS::SNS::Topic'),
    ];
    const tables = ofType(t.Resources, 'AWS::DynamoDB::Table');

    // Assess
    for (const [id, q] of queuesAndTopics)
      expect(refersTo(props(q).KmsMasterKeyId, 'WardenKey'), id).toBe(true);
    for (const [id, table] of tables) {
      const sse = props(table).SSESpecification as Record<string, unknown>;
      expect(sse, id).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
      expect(refersTo(sse.KMSMasterKeyId, 'WardenKey'), id).toBe(true);
    }
  });

  it('tags every taggable resource with Service, Stage and Owner', () => {
    // Prepare
    const taggable = Object.entries(t.Resources).filter(
      ([, r]) => LIST_TAGGED_TYPES.has(r.Type) || MAP_TAGGED_TYPES.has(r.Type),
    );

    // Assess
    expect(taggable.length).toBeGreaterThan(50);
    for (const [id, r] of taggable) {
      expect(tagsOf(props(r)), id).toMatchObject({
        Service: 'warden',
        Stage: stage,
        Owner: expect.any(String),
      });
    }
  });

  it(`traces every function and samples ${SAMPLING[stage]} of requests`, () => {
    // Prepare
    const functions = ofType(t.Resources, 'AWS::Lambda::Function');
    const rules = ofType(t.Resources, 'AWS::XRay::SamplingRule').map(
      ([, r]) => props(r).SamplingRule as Record<string, unknown>,
    );

    // Assess
    for (const [id, fn] of functions) expect(props(fn).TracingConfig, id).toEqual({ Mode: 'Active' });
    expect(rules).toEqual([
      expect.objectContaining({
        RuleName: `warden-${stage}`,
        FixedRate: SAMPLING[stage],
        ServiceName: `warden-${stage}-*`,
      }),
    ]);
  });

  it('names resources or a tag condition in every IAM statement with a mutating action', () => {
    // Prepare
    const statements = iamStatements(t).filter(([, s]) => s.Effect === 'Allow');

    // Act
    const unscoped = statements.filter(([, s]) => {
      const mutating = [s.Action]
        .flat()
        .filter((a) => !WILDCARD_ONLY.has(a) && (a === '*' || !READ_VERBS.test(a.split(':')[1] ?? '')));
      if (mutating.length === 0) return false;
      const resources = [s.Resource].flat();
      const named = resources.length > 0 && !resources.includes('*');
      const tagged = /aws:(ResourceTag|RequestTag)\//.test(JSON.stringify(s.Condition ?? {}));
      return !named && !tagged;
    });

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    expect(unscoped.map(([id, s]) => `${id}: ${JSON.stringify(s.Action)}`)).toEqual([]);
  });

  it('has at least 20 alarms covering functions, queues, backups, secrets, cost, rollbacks and concurrency', () => {
    // Prepare
    const alarms = alarmsOf(t);
    const names = alarms.map((a) => a.name);
    const functions = ofType(t.Resources, 'AWS::Lambda::Function').map(
      ([, r]) => props(r).FunctionName as string,
    );
    const watched = (metric: string) => alarms.some((a) => a.metrics.some((m) => m.name === metric));

    // Assess
    expect(alarms.length).toBeGreaterThanOrEqual(20);
    for (const fn of functions) {
      for (const what of ['errors', 'throttles', 'duration-p95']) expect(names).toContain(`${fn}-${what}`);
    }
    for (const metric of [
      'ConcurrentExecutions',
      'BackupNonCompliant',
      'BackupUnverified',
      'RestoreDrillPassed',
      'SecretsOverdue',
      'SecretsRotationFailed',
      'CostAnomalies',
      'ProjectedMonthUsd',
      'RollbacksPerformed',
    ]) {
      expect(watched(metric), metric).toBe(true);
    }
    for (const [id, q] of ofType(t.Resources, 'AWS::SQS::Queue')) {
      const metric = /dlq|deadletter/i.test(id)
        ? 'ApproximateNumberOfMessagesVisible'
        : 'ApproximateAgeOfOldestMessage';
      const name = props(q).QueueName;
      expect(
        alarms.some(
          (a) =>
            a.metrics.some((m) => m.name === metric) &&
            JSON.stringify(t.Resources[a.logicalId]).includes(String(name)),
        ),
        `${id} ${metric}`,
      ).toBe(true);
    }
  });

  it('applies the stage thresholds to the generated alarms', () => {
    // Prepare
    const alarms = Object.values(t.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(props);
    const ages = alarms
      .filter((a) => a.MetricName === 'ApproximateAgeOfOldestMessage')
      .map((a) => a.Threshold);
    const errors = alarms.filter((a) => a.MetricName === 'Errors').map((a) => a.Threshold);

    // Assess
    expect(ages.length).toBeGreaterThan(0);
    expect(new Set(ages)).toEqual(new Set([QUEUE_AGE[stage]]));
    expect(new Set(errors)).toEqual(new Set([ERRORS[stage]]));
  });

  it('gives every alarm the alerts topic as action', (ctx) => {
    if (!t.Resources.AlertsTopic) ctx.skip('AlertsTopic (resources/findings.yml) is not in the template yet');
    // Act
    const missing = alarmsOf(t).filter((a) => !a.actions.includes('AlertsTopic'));

    // Assess
    expect(missing.map((a) => a.name)).toEqual([]);
  });

  it('references only metrics warden or AWS emit, in alarms and dashboards', () => {
    // Prepare
    const dashboards = dashboardsOf(t);
    const fromWidgets = dashboards.flatMap((d) => d.widgets.flatMap(widgetMetrics));
    const fromAlarms = alarmsOf(t).flatMap((a) => a.metrics);

    // Assess
    expect(fromWidgets.length).toBeGreaterThan(20);
    expect([...fromWidgets, ...fromAlarms].filter((m) => !isKnownMetric(m.namespace, m.name))).toEqual([]);
  });

  it('builds one dashboard with the Lambda, queue, backup, secret, cost, rollback and alarm sections', () => {
    // Prepare
    const dashboards = dashboardsOf(t);
    const widgets = dashboards[0]?.widgets ?? [];
    const sections = widgets
      .filter((w) => w.type === 'text')
      .map((w) => String(w.properties.markdown).split('\n')[0]);
    const titles = widgets.map((w) => String(w.properties.title ?? ''));
    const functions = ofType(t.Resources, 'AWS::Lambda::Function');

    // Assess
    expect(dashboards.map((d) => d.name)).toEqual([`warden-${stage}`]);
    expect(sections).toEqual([
      '## Lambda',
      '## Queues',
      '## Backups',
      '## Secrets',
      '## Cost',
      '## Rollbacks and findings',
      '## Alarms',
    ]);
    for (const title of [
      'Invocations',
      'Errors',
      'Throttles',
      'Concurrent executions',
      'DLQ depth',
      'Age of oldest message (s)',
    ]) {
      expect(titles).toContain(title);
    }
    expect(titles.filter((x) => x.startsWith('Duration '))).toHaveLength(functions.length);
    for (const w of widgets.filter((x) => x.type === 'metric')) expect(w.properties.region).toBe('eu-west-1');
  });
});

describe('Template: existing VPC (useExistingVpc=true)', () => {
  const params = {
    useExistingVpc: 'true',
    existingVpcId: 'vpc-0123456789abcdef0',
    existingPrivateSubnetA: 'subnet-0aaaaaaaaaaaaaaaa',
    existingPrivateSubnetB: 'subnet-0bbbbbbbbbbbbbbbb',
    existingEndpointSecurityGroupId: 'sg-0eeeeeeeeeeeeeeee',
  };
  let t: CfnTemplate;

  beforeAll(async () => {
    t = await packageTemplate('staging', params);
  }, PACKAGE_TIMEOUT);

  it('creates no network and puts the security groups in the existing VPC', () => {
    // Prepare
    const active = activeResources(t);
    const conditions = conditionValues(t);
    const network = Object.values(active).filter((r) =>
      [
        'AWS::EC2::VPC',
        'AWS::EC2::Subnet',
        'AWS::EC2::NatGateway',
        'AWS::EC2::VPCEndpoint',
        'AWS::EC2::FlowLog',
      ].includes(r.Type),
    );
    const groups = ofType(active, 'AWS::EC2::SecurityGroup').map(
      ([, r]) => resolveIf(props(r), conditions) as Record<string, unknown>,
    );
    const endpointEgress = ofType(active, 'AWS::EC2::SecurityGroupEgress')
      .map(([, r]) => resolveIf(props(r), conditions) as Record<string, unknown>)
      .filter((r) => r.FromPort === 443);

    // Assess
    expect(network).toEqual([]);
    expect(groups.map((g) => g.VpcId)).toEqual([
      params.existingVpcId,
      params.existingVpcId,
      params.existingVpcId,
    ]);
    expect(endpointEgress.map((r) => r.DestinationSecurityGroupId)).toEqual([
      params.existingEndpointSecurityGroupId,
    ]);
    expect(lintTemplate(t).crit).toEqual([]);
  });
});
