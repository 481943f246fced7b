import { describe, expect, it } from 'vitest';
import { ENV_SPEC, loadConfig } from '../../lib/config.js';
import { ConfigError } from '../../lib/errors.js';

const valid = { WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1' };

describe('Function: loadConfig', () => {
  it('applies documented defaults to a minimal environment', () => {
    // Act
    const config = loadConfig(valid);
    // Assess
    expect(config).toMatchObject({
      stage: 'dev',
      region: 'eu-west-1',
      targetAccounts: [],
      dryRun: true,
      rpoHours: 24,
      flagsPath: '/warden/dev/flags',
      workQueuePrefix: 'warden-dev-work-',
      executionRoleName: 'WardenExecutionRole',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('parses lists, numbers and booleans', () => {
    // Act
    const config = loadConfig({
      ...valid,
      WARDEN_TARGET_ACCOUNTS: '111111111111, 222222222222',
      WARDEN_TARGET_REGIONS: 'eu-west-1,us-east-1',
      WARDEN_DRY_RUN: 'false',
      WARDEN_RPO_HOURS: '12',
    });
    // Assess
    expect(config.targetAccounts).toEqual(['111111111111', '222222222222']);
    expect(config.targetRegions).toEqual(['eu-west-1', 'us-east-1']);
    expect(config.dryRun).toBe(false);
    expect(config.rpoHours).toBe(12);
  });

  it('lists every problem in one error with name, expectation and what was found', () => {
    // Act
    let error: unknown;
    try {
      loadConfig({ WARDEN_STAGE: 'qa', WARDEN_TARGET_ACCOUNTS: '123', WARDEN_RPO_HOURS: 'soon' });
    } catch (err) {
      error = err;
    }
    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.field);
    expect(problems).toEqual(['WARDEN_STAGE', 'AWS_REGION', 'WARDEN_TARGET_ACCOUNTS', 'WARDEN_RPO_HOURS']);
    const message = (error as ConfigError).message;
    expect(message).toContain('4 problems');
    expect(message).toContain('WARDEN_STAGE: expected one of "dev", "staging", "prod", found "qa"');
    expect(message).toContain(
      'AWS_REGION: expected an AWS region such as eu-west-1 (required), found nothing (unset)',
    );
    expect(message).toContain('WARDEN_RPO_HOURS: expected hours between 1 and 720, found "soon"');
  });

  it('never echoes the value of a secret variable', () => {
    // Act
    const act = () => loadConfig({ ...valid, WARDEN_EXTERNAL_ID: 'x' });
    // Assess
    expect(act).toThrow(/WARDEN_EXTERNAL_ID: .*found a value of 1 characters \(redacted\)/);
    try {
      loadConfig({ ...valid, WARDEN_EXTERNAL_ID: 's3cr3t value!' });
    } catch (err) {
      expect(String((err as Error).message)).not.toContain('s3cr3t');
    }
  });

  it('reports the variables a function requires when they are unset', () => {
    // Act
    const act = () => loadConfig(valid, { require: ['findingsQueueUrl', 'stateTable'] });
    // Assess
    expect(act).toThrow(
      /WARDEN_FINDINGS_QUEUE_URL: expected an https SQS queue URL or a queue name \(required by this function\)/,
    );
    expect(act).toThrow(/WARDEN_STATE_TABLE/);
  });

  it('configures the optional notification channels, off by default, naming a bad field', () => {
    // Act
    const off = loadConfig(valid);
    const on = loadConfig({
      ...valid,
      WARDEN_SECURITY_HUB: 'true',
      WARDEN_PAGERDUTY_SECRET_ARN:
        'arn:aws:secretsmanager:eu-west-1:111111111111:secret:warden/dev/pagerduty',
      WARDEN_PAGERDUTY_MIN_SEVERITY: 'critical',
    });
    const bad = (() => {
      try {
        return loadConfig({
          ...valid,
          WARDEN_SECURITY_HUB: 'maybe',
          WARDEN_PAGERDUTY_MIN_SEVERITY: 'urgent',
          WARDEN_PAGERDUTY_URL: 'http://events.example/v2/enqueue',
        });
      } catch (e) {
        return e;
      }
    })();
    // Assess
    expect(off).toMatchObject({
      securityHub: false,
      pagerDutySecretArn: undefined,
      pagerDutyMinSeverity: 'high',
      pagerDutyUrl: 'https://events.pagerduty.com/v2/enqueue',
    });
    expect(on).toMatchObject({ securityHub: true, pagerDutyMinSeverity: 'critical' });
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).problems.map((p) => p.field)).toEqual([
      'WARDEN_SECURITY_HUB',
      'WARDEN_PAGERDUTY_MIN_SEVERITY',
      'WARDEN_PAGERDUTY_URL',
    ]);
  });

  it('is documented variable by variable in .env.example', async () => {
    // Prepare
    const { readFileSync } = await import('node:fs');
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    // Assess
    for (const name of Object.keys(ENV_SPEC)) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
