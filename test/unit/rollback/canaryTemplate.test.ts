import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY_HOOK, WardenCanaryPlugin } from '../../../lib/rollback/canaryPlugin.js';
import { addCanaryDeployments, type Template } from '../../../lib/rollback/canaryTemplate.js';

const settings = {
  alias: 'live',
  deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  errorRatePercent: 2,
  p95DurationMs: 500,
  p95DurationMsByFunction: { Worker: 20_000 },
};

function compiled(): Template {
  return JSON.parse(
    readFileSync(new URL('fixtures/compiled-template.json', import.meta.url), 'utf8'),
  ) as Template;
}

describe('Function: addCanaryDeployments', () => {
  it('puts every function behind a CodeDeploy-shifted alias live', () => {
    // Prepare
    const template = compiled();

    // Act
    const covered = addCanaryDeployments(template, settings);

    // Assess
    expect(covered).toEqual([
      'SelfcheckLambdaFunction',
      'WorkerLambdaFunction',
      'RotateSecretLambdaFunction',
    ]);
    expect(template.Resources.SelfcheckAliasLive).toEqual({
      Type: 'AWS::Lambda::Alias',
      Properties: {
        FunctionName: { Ref: 'SelfcheckLambdaFunction' },
        FunctionVersion: { 'Fn::GetAtt': ['SelfcheckLambdaVersionq1w2e3r4t5y6u7i8o9p0', 'Version'] },
        Name: 'live',
      },
      UpdatePolicy: {
        CodeDeployLambdaAliasUpdate: {
          ApplicationName: { Ref: 'WardenDeployApplication' },
          DeploymentGroupName: { Ref: 'SelfcheckDeploymentGroup' },
        },
      },
    });
    expect(template.Resources.SelfcheckDeploymentGroup?.Properties).toMatchObject({
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AlarmConfiguration: {
        Enabled: true,
        Alarms: [
          { Name: { Ref: 'SelfcheckCanaryErrorRateAlarm' } },
          { Name: { Ref: 'SelfcheckCanaryP95DurationAlarm' } },
        ],
      },
    });
    expect(template.Resources.WardenDeployApplication).toEqual({
      Type: 'AWS::CodeDeploy::Application',
      Properties: { ComputePlatform: 'Lambda' },
    });
  });

  it('watches the new version alone through the ExecutedVersion dimension', () => {
    // Prepare
    const template = compiled();

    // Act
    addCanaryDeployments(template, settings);

    // Assess
    const duration = template.Resources.WorkerCanaryP95DurationAlarm?.Properties;
    expect(duration).toMatchObject({ ExtendedStatistic: 'p95', Threshold: 20_000, MetricName: 'Duration' });
    expect(duration?.Dimensions).toContainEqual({
      Name: 'ExecutedVersion',
      Value: { 'Fn::GetAtt': ['WorkerLambdaVersionz9x8c7v6b5n4m3', 'Version'] },
    });
    const errors = template.Resources.SelfcheckCanaryErrorRateAlarm?.Properties;
    expect(errors).toMatchObject({ Threshold: 2, ComparisonOperator: 'GreaterThanThreshold' });
    expect(JSON.stringify(errors?.Metrics)).toContain('"Name":"ExecutedVersion"');
  });

  it('points schedules, SQS mappings, permissions and the rotation at the alias, not the IAM role', () => {
    // Prepare
    const template = compiled();

    // Act
    addCanaryDeployments(template, settings);

    // Assess
    const r = template.Resources;
    expect(r.SelfcheckEventsRuleSchedule1?.Properties?.Targets).toEqual([
      { Arn: { Ref: 'SelfcheckAliasLive' }, Id: 'selfcheckSchedule' },
    ]);
    expect(r.SelfcheckLambdaPermissionEventsRuleSchedule1?.Properties?.FunctionName).toEqual({
      Ref: 'SelfcheckAliasLive',
    });
    expect(r.WorkerEventSourceMappingSQSWorkQueue?.Properties?.FunctionName).toEqual({
      Ref: 'WorkerAliasLive',
    });
    expect(r.DbSecretRotation?.Properties?.RotationLambdaARN).toEqual({ Ref: 'RotateSecretAliasLive' });
    expect(r.RotateSecretPermission?.Properties?.FunctionName).toEqual({ Ref: 'RotateSecretAliasLive' });
    expect(r.SelfcheckLambdaFunction?.Properties?.Role).toEqual({
      'Fn::GetAtt': ['SelfcheckIamRoleLambdaExecution', 'Arn'],
    });
  });

  it('leaves a template without function versions untouched', () => {
    // Prepare
    const template: Template = { Resources: { T: { Type: 'AWS::SNS::Topic' } } };

    // Act
    const covered = addCanaryDeployments(template, settings);

    // Assess
    expect(covered).toEqual([]);
    expect(Object.keys(template.Resources)).toEqual(['T']);
  });

  it('produces a template cfn-lint accepts', () => {
    // Prepare
    const template = compiled();
    addCanaryDeployments(template, settings);
    const file = join(mkdtempSync(join(tmpdir(), 'warden-canary-')), 'template.json');
    writeFileSync(file, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', ...template }));

    // Act
    const lint = spawnSync(process.execPath, ['node_modules/cfn-lint/lib/index.js', 'validate', file], {
      encoding: 'utf8',
    });

    // Assess
    // This cfn-lint exits 0 either way: its verdict is in the output.
    expect(lint.stdout).toContain('Template valid!');
    expect(lint.stdout).not.toContain('invalid');
  });
});

describe('Function: WardenCanaryPlugin', () => {
  it('applies custom.wardenCanary with stage params given as strings', async () => {
    // Prepare
    const template = compiled();
    const logs: string[] = [];
    const serverless = {
      service: {
        custom: {
          wardenCanary: {
            deploymentConfig: 'CodeDeployDefault.LambdaAllAtOnce',
            errorRatePercent: '5',
            p95DurationMs: '800',
          },
        },
        provider: { compiledCloudFormationTemplate: template },
      },
      cli: { log: (m: string) => logs.push(m) },
    };

    // Act
    await new WardenCanaryPlugin(serverless).hooks[CANARY_HOOK]?.();

    // Assess
    expect(template.Resources.WorkerDeploymentGroup?.Properties?.DeploymentConfigName).toBe(
      'CodeDeployDefault.LambdaAllAtOnce',
    );
    expect(template.Resources.WorkerCanaryP95DurationAlarm?.Properties?.Threshold).toBe(800);
    expect(template.Resources.WorkerCanaryErrorRateAlarm?.Properties?.Threshold).toBe(5);
    expect(logs).toEqual([
      'warden-canary: 3 functions behind alias live (CodeDeployDefault.LambdaAllAtOnce)',
    ]);
  });

  it('does nothing when disabled, and names a bad setting', async () => {
    // Prepare
    const template = compiled();
    const off = {
      service: {
        custom: { wardenCanary: { enabled: 'false' } },
        provider: { compiledCloudFormationTemplate: template },
      },
    };
    const bad = {
      service: {
        custom: { wardenCanary: { errorRatePercent: 'lots' } },
        provider: { compiledCloudFormationTemplate: template },
      },
    };

    // Act
    await new WardenCanaryPlugin(off).hooks[CANARY_HOOK]?.();
    const act = new WardenCanaryPlugin(bad).hooks[CANARY_HOOK]?.();

    // Assess
    expect(template.Resources.WorkerAliasLive).toBeUndefined();
    await expect(act).rejects.toThrow('invalid custom.wardenCanary: errorRatePercent');
  });
});
