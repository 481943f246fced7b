import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPIRY_OPTIONS } from '../../../lib/secrets/automation.js';
import { dueOf, failureOf, pendingVersion, scheduleDays, warningDue } from '../../../lib/secrets/expiry.js';

const NOW = new Date('2026-11-26T06:00:00Z');

describe('Function: dueOf', () => {
  it('uses the rotation interval, a rate() schedule, or NextRotationDate for cron schedules', () => {
    // Act
    const byDays = dueOf(
      {
        RotationEnabled: true,
        RotationRules: { AutomaticallyAfterDays: 30 },
        LastRotatedDate: new Date('2026-11-20T06:00:00Z'),
      },
      DEFAULT_EXPIRY_OPTIONS,
      NOW,
    );
    const byRate = dueOf(
      {
        RotationEnabled: true,
        RotationRules: { ScheduleExpression: 'rate(10 days)' },
        CreatedDate: new Date('2026-11-20T06:00:00Z'),
      },
      DEFAULT_EXPIRY_OPTIONS,
      NOW,
    );
    const byCron = dueOf(
      {
        RotationEnabled: true,
        RotationRules: { ScheduleExpression: 'cron(0 4 1 * ? *)' },
        NextRotationDate: new Date('2026-12-01T04:00:00Z'),
      },
      DEFAULT_EXPIRY_OPTIONS,
      NOW,
    );
    const undated = dueOf({ Name: 'x' }, DEFAULT_EXPIRY_OPTIONS, NOW);
    // Assess
    expect(byDays?.daysLeft).toBe(24);
    expect(byRate?.daysLeft).toBe(4);
    expect(byCron?.dueDate.toISOString()).toBe('2026-12-01T04:00:00.000Z');
    expect(undated).toBeUndefined();
    expect([scheduleDays('rate(12 hours)'), scheduleDays('cron(x)')]).toEqual([0.5, undefined]);
  });

  it('owns each warning threshold on one run window only', () => {
    // Assess
    expect([6.5, 6, 5, 3, 2.01, 2, 1, 0.2, 0].map((d) => warningDue(d, DEFAULT_EXPIRY_OPTIONS))).toEqual([
      7,
      undefined,
      undefined,
      3,
      3,
      undefined,
      1,
      1,
      undefined,
    ]);
  });

  it('finds the pending version and the recorded failure', () => {
    // Assess
    expect(
      pendingVersion({ SecretVersionsToStages: { a: ['AWSCURRENT', 'AWSPENDING'], b: ['AWSPREVIOUS'] } }),
    ).toBeUndefined();
    expect(pendingVersion({ SecretVersionsToStages: { a: ['AWSCURRENT'], b: ['AWSPENDING'] } })).toBe('b');
    expect(
      failureOf({
        Tags: [{ Key: 'warden:rotation-failure', Value: 'network setSecret 2026-11-25T00:00:00Z' }],
      }),
    ).toEqual({ kind: 'network', step: 'setSecret', at: '2026-11-25T00:00:00Z' });
    expect(failureOf({ Tags: [{ Key: 'warden:rotation-failure', Value: 'garbage' }] }).kind).toBe('unknown');
  });
});
