import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AUTOMATION_NAMES } from '../../../lib/automations/catalog.js';
import { AUTOMATIONS, getAutomation } from '../../../lib/automations/registry.js';
import { DRILL_MEMBER_PERMISSIONS } from '../../../lib/backup/drill/permissions.js';
import { ValidationError } from '../../../lib/errors.js';
import { rollbackAutomation } from '../../../lib/rollback/automation.js';

describe('Registry: automations', () => {
  it('holds exactly the automations dispatch knows by name', () => {
    // Assess
    expect(AUTOMATIONS.map((a) => a.name)).toEqual([...AUTOMATION_NAMES]);
  });

  it.each(AUTOMATIONS.map((a) => [a.name, a] as const))(
    '%s declares a closed options schema, permissions and a probe',
    (_, a) => {
      // Assess
      expect(v.safeParse(a.options, {}).success).toBe(true);
      expect(v.safeParse(a.options, { surpriseOption: 1 }).success).toBe(false);
      expect(a.permissions.length).toBeGreaterThan(0);
      for (const p of [...a.permissions, ...a.mutatingPermissions])
        expect(p).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
      for (const m of a.mutatingPermissions) expect(a.permissions).toContain(m);
      // State is warden's own table in the home account: never a permission of the target accounts.
      for (const p of a.statePermissions ?? []) expect(p).toMatch(/^dynamodb:[A-Z][A-Za-z]+$/);
      expect(typeof a.probe).toBe('function');
      expect(a.schedule).toMatch(/^(rate|cron)\(/);
    },
  );

  it('rejects an unknown automation name listing the known ones', () => {
    // Act
    const act = () => getAutomation('deleteEverything');
    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(
      /automation: expected one of backupVerify, snapshotLifecycle, secretExpiry, costAnomaly/,
    );
  });

  it('grants the member-account role exactly the permissions the automations declare', () => {
    // Prepare
    const template = readFileSync(
      new URL('../../../resources/member-account-role.yml', import.meta.url),
      'utf8',
    );
    const granted = new Set(
      template.match(
        /\b(?:rds|kms|secretsmanager|ce|dynamodb|organizations|cloudwatch|lambda|codedeploy|elasticache|s3|backup):[A-Z]\w+(?!\w*:)/g,
      ),
    );
    // Act: the fanned-out automations, and autoRollback, which acts in member accounts from its own function.
    // Restore drills restore and delete in member accounts from restoreDrill (lib/backup/drill/permissions.ts).
    const declared = new Set([
      ...[...AUTOMATIONS, rollbackAutomation].flatMap((a) => a.permissions),
      ...DRILL_MEMBER_PERMISSIONS,
    ]);
    // Assess
    expect([...granted].sort()).toEqual([...declared].sort());
  });
});
