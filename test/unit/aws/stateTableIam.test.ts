import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StateKey } from '../../../lib/aws/stateStore.js';
import { notifyKey } from '../../../lib/notify/state.js';
import {
  cooldownKey,
  decisionKey,
  eventKey,
  knownGoodKey,
  observedKey,
} from '../../../lib/rollback/stateKeys.js';
import { warningKey } from '../../../lib/secrets/warningLedger.js';
import { loadCfnYaml } from '../../support/cfnYaml.js';

interface Statement {
  Action: string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
}

const FUNCTIONS = new URL('../../../functions/', import.meta.url);
const roles = new Map<string, Statement[]>(
  readdirSync(FUNCTIONS)
    .filter((f) => f.endsWith('.yml'))
    .flatMap((f) =>
      Object.entries(
        loadCfnYaml(new URL(f, FUNCTIONS)) as unknown as Record<string, { iamRoleStatements?: Statement[] }>,
      ).map(([name, fn]): [string, Statement[]] => [name, fn.iamRoleStatements ?? []]),
    ),
);

const home = { account: '111111111111', region: 'eu-west-1' };
const member = { account: '222222222222', region: 'us-east-1' };
const at = new Date('2026-11-26T10:00:00Z');
const expiry = { secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:db', dueDate: at, tier: 7 };

/** Each state table user: the calls its store makes and every key it writes or reads. */
const USERS: Record<string, { actions: string[]; keys: StateKey[] }> = {
  notify: { actions: ['GetItem', 'PutItem', 'UpdateItem'], keys: [notifyKey('f1')] },
  autoRollback: {
    actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
    keys: [home, member].flatMap((w) => [
      eventKey(w, 'alarm', at.toISOString()),
      cooldownKey(w, 'lambda:f:live'),
      observedKey(w, 'lambda:f:live'),
      knownGoodKey(w, 'lambda:f:live'),
      decisionKey(at, w, 'lambda:f:live', 'alarm'),
    ]),
  },
  secretExpiryWorker: { actions: ['PutItem', 'UpdateItem'], keys: [warningKey(expiry)] },
};

describe('IAM: the state table', () => {
  it('is granted to exactly the functions that use the state store', () => {
    // Act
    const granted = [...roles]
      .filter(([, statements]) => statements.some((s) => JSON.stringify(s.Resource).includes('StateTable')))
      .map(([name]) => name);
    // Assess
    expect(granted.sort()).toEqual(Object.keys(USERS).sort());
  });

  it.each(Object.entries(USERS))('lets %s reach its own items only, with the calls it makes', (name, use) => {
    // Prepare
    const statements = (roles.get(name) ?? []).filter((s) =>
      JSON.stringify(s.Resource).includes('StateTable'),
    );
    // Act
    const actions = statements.flatMap((s) => s.Action).sort();
    const leading = statements.map((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']);
    // Assess
    expect(actions).toEqual(use.actions.map((a) => `dynamodb:${a}`));
    for (const prefixes of leading) {
      expect(prefixes).toHaveLength(1);
      const prefix = prefixes![0]!.replace(/\*$/, '');
      expect(prefix).toMatch(/^\w+#$/);
      for (const key of use.keys) expect(key.pk.startsWith(prefix), key.pk).toBe(true);
    }
    expect(leading.length).toBeGreaterThan(0);
  });
});
