import { describe, expect, it } from 'vitest';
import { AUTOMATIONS } from '../../../lib/automations/registry.js';
import { DRILL_AUTOMATION } from '../../../lib/backup/drill/report.js';
import { FANNED_OUT, FLAG_AUTOMATIONS } from '../../../lib/flags/names.js';
import { AUTOMATION as ROLLBACK } from '../../../lib/rollback/decision.js';

describe('Constant: FLAG_AUTOMATIONS', () => {
  it('names every automation that reads a flag, the fanned-out ones being the registry', () => {
    // Assess
    expect([...FANNED_OUT].sort()).toEqual(AUTOMATIONS.map((a) => a.name).sort());
    expect([...FLAG_AUTOMATIONS].sort()).toEqual([...FANNED_OUT, DRILL_AUTOMATION, ROLLBACK].sort());
  });
});
