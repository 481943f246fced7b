import { describe, expect, it } from 'vitest';
import { DEFAULT_EXPIRY_OPTIONS } from '../../../lib/secrets/automation.js';
import { dueOf, failureOf, pendingVersion, scheduleDays, warningTier } from '../../../lib/secrets/expiry.js';

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

  it('puts a secret in the most urgent tier that holds its days left, none when overdue', () => {
    // Prepare
    const tiers = [7, 3, 1];
    // Act
    const tierOf = (daysLeft: number) => warningTier({ daysLeft, intervalDays: 30 }, tiers);
    // Assess
    expect([8, 7, 6.5, 5, 3.01, 3, 2, 1.01, 1, 0.2, 0, -1].map(tierOf)).toEqual([
      undefined,
      7,
      7,
      7,
      7,
      3,
      3,
      3,
      1,
      1,
      undefined,
      undefined,
    ]);
  });

  it('leaves out the tiers not shorter than the interval, and keeps them all when the interval is unknown', () => {
    // Prepare
    const tiers = [1, 7, 3];
    // Act
    const twoDays = [1.9, 1.5, 0.5].map((daysLeft) => warningTier({ daysLeft, intervalDays: 2 }, tiers));
    const sevenDays = [6.9, 3, 1].map((daysLeft) => warningTier({ daysLeft, intervalDays: 7 }, tiers));
    const halfDay = warningTier({ daysLeft: 0.4, intervalDays: 0.5 }, tiers);
    const cron = warningTier({ daysLeft: 5, intervalDays: 0 }, tiers);
    // Assess
    expect(twoDays).toEqual([undefined, undefined, 1]);
    expect(sevenDays).toEqual([undefined, 3, 1]);
    expect(halfDay).toBeUndefined();
    expect(cron).toBe(7);
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
    // A server that refused a plaintext login is a TLS cause, not a wrong password.
    expect(
      failureOf({ Tags: [{ Key: 'warden:rotation-failure', Value: 'tls setSecret 2026-11-25T00:00:00Z' }] }),
    ).toEqual({ kind: 'tls', step: 'setSecret', at: '2026-11-25T00:00:00Z' });
    expect(failureOf({ Tags: [{ Key: 'warden:rotation-failure', Value: 'garbage' }] }).kind).toBe('unknown');
  });
});
