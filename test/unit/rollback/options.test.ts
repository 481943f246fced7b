import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../lib/config.js';
import { WardenError } from '../../../lib/errors.js';
import { rollbackOptionsFromConfig } from '../../../lib/rollback/options.js';
import { isRetryable, withRetries } from '../../../lib/rollback/retry.js';

const base = loadConfig({ WARDEN_STAGE: 'dev', AWS_REGION: 'eu-west-1' });

describe('Function: rollbackOptionsFromConfig', () => {
  it('uses the issue defaults while the rollback keys are not configured', () => {
    // Act
    const options = rollbackOptionsFromConfig(base);

    // Assess
    expect(options).toEqual({
      allowedTargets: [],
      cooldownMinutes: 15,
      healthyMinutes: 30,
      attempts: 3,
      retryBaseMs: 200,
    });
  });

  it('reads the rollback keys once the config carries them', () => {
    // Prepare
    const config = {
      ...base,
      rollbackTargets: ['lambda:orders:live'],
      rollbackAlarmPrefix: 'rb-',
      rollbackCooldownMinutes: 5,
      rollbackHealthyMinutes: 60,
    };

    // Act
    const options = rollbackOptionsFromConfig(config);

    // Assess
    expect(options).toMatchObject({
      allowedTargets: ['lambda:orders:live'],
      alarmPrefix: 'rb-',
      cooldownMinutes: 5,
      healthyMinutes: 60,
    });
  });
});

describe('Function: isRetryable', () => {
  it('retries server faults and throttling, not warden errors or non-errors', async () => {
    // Prepare
    let calls = 0;
    const flaky = async () => {
      calls++;
      throw Object.assign(new Error('boom'), { $fault: 'server' });
    };

    // Act
    const act = withRetries(flaky, { attempts: 2, baseMs: 0, sleep: async () => {} });

    // Assess
    await expect(act).rejects.toThrow('boom');
    expect(calls).toBe(2);
    expect(isRetryable(new WardenError('no'))).toBe(false);
    expect(isRetryable('string')).toBe(false);
    expect(isRetryable(Object.assign(new Error('x'), { name: 'AccessDeniedException' }))).toBe(false);
  });
});
