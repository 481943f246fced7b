/**
 * Targets from AWS Organizations at scale, in process, every AWS call mocked at 50 ms and paged as the service pages
 * (MaxResults <= 20, NextToken): an organization of 500 accounts (480 ACTIVE, 20 suspended or closed) in 40 nested
 * OUs (5 top-level, 20 under them, 15 under those), 4 regions.
 * 1. Resolution of the whole organization (`orgUnits` = its root, mode replace), through the real adapter and domain
 *    code. min_calls = the fewest ListOrganizationalUnitsForParent + ListAccountsForParent pages that walk every
 *    parent (at least one page of each per parent, 20 a page); the wall bound is the walk's critical path (a parent's
 *    two listings run at once, its children after them), in pages x 50 ms.
 * 2. One dispatch of every automation over the resolved targets at applyPercent 10, 25 and 50 (flags dryRun false):
 *    the accounts applied per automation (dispatch's per-account modes, lib/flags/rollout.ts assignModes) must be
 *    nested as the percentage grows and each within 3 percentage points of it. The resolution is read once.
 * Goals: calls = min_calls, wall <= 1.3 x bound, share_error_pp <= 3, nested = yes, no unit for an inactive account.
 */
import './support/benchEnv.js';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { AUTOMATION_NAMES } from '../lib/automations/catalog.js';
import { organizationsReader } from '../lib/aws/organizations.js';
import { sendAll } from '../lib/aws/sqs.js';
import { loadConfig } from '../lib/config.js';
import { dispatch } from '../lib/fanout/dispatch.js';
import { targetResolver } from '../lib/fanout/targets.js';
import type { WorkUnit } from '../lib/fanout/unit.js';
import { checkSendMessageBatch, ORGANIZATIONS_MAX_RESULTS, pagesFor } from '../test/support/awsPaging.js';
import {
  type FakeAccount,
  type FakeOrg,
  minWalkPages,
  mockOrganization,
} from '../test/support/fakeOrganization.js';
import { fakeService } from './support/served.js';

const LATENCY_MS = 50;
const ACCOUNTS = 500;
const INACTIVE = 20;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2'];
const PERCENTS = [10, 25, 50];
const ROOT = 'r-b3nc';
const HOME = '100000000000';

// 40 OUs: 5 top-level, 4 under each (20), one under each of the first 15 of those (15).
const ou = (n: number) => `ou-b3nc-${String(n).padStart(8, '0')}`;
const ous: FakeOrg['ous'] = [];
for (let t = 0; t < 5; t++) ous.push({ id: ou(t), parent: ROOT });
for (let c = 0; c < 20; c++) ous.push({ id: ou(5 + c), parent: ou(Math.floor(c / 4)) });
for (let g = 0; g < 15; g++) ous.push({ id: ou(25 + g), parent: ou(5 + g) });
// Accounts: 8 under the root, the rest over the OUs unevenly (every 7th OU holds 45: three pages), a few inactive.
const parents = [...Array.from({ length: 8 }, () => ROOT)];
for (let i = 0; parents.length < ACCOUNTS; i++) {
  const o = ous[i % ous.length]!;
  parents.push(o.id);
  if ((i % ous.length) % 7 === 0) for (let k = 0; k < 3 && parents.length < ACCOUNTS; k++) parents.push(o.id);
}
const states = ['SUSPENDED', 'CLOSED', 'PENDING_CLOSURE'] as const;
const accounts: FakeAccount[] = parents.map((parent, i) => ({
  id: String(100000000000 + i),
  parent,
  ...(i % Math.floor(ACCOUNTS / INACTIVE) === Math.floor(ACCOUNTS / INACTIVE) - 1
    ? { state: states[i % 3]! }
    : {}),
}));
const org: FakeOrg = { root: ROOT, ous, accounts };
const active = new Set(accounts.filter((a) => !a.state || a.state === 'ACTIVE').map((a) => a.id));

const organizations = fakeService(LATENCY_MS);
const aws = fakeService(LATENCY_MS);
mockOrganization(org, organizations.served);
mockClient(SQSClient)
  .on(SendMessageBatchCommand)
  .callsFake((input: SendMessageBatchCommandInput) =>
    aws.served(() => {
      checkSendMessageBatch(input.Entries);
      return {
        Successful: (input.Entries ?? []).map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: '' })),
        Failed: [],
      };
    }),
  );

// Bounds from the inventory and the page size alone.
const minCalls = minWalkPages(org, [ROOT]);
const children = (id: string) => ous.filter((o) => o.parent === id).map((o) => o.id);
const criticalPages = (id: string): number =>
  Math.max(
    pagesFor(children(id).length, ORGANIZATIONS_MAX_RESULTS),
    pagesFor(accounts.filter((a) => a.parent === id).length, ORGANIZATIONS_MAX_RESULTS),
  ) + Math.max(0, ...children(id).map(criticalPages));
const boundMs = criticalPages(ROOT) * LATENCY_MS;

const config = loadConfig({
  WARDEN_STAGE: 'prod',
  AWS_REGION: 'eu-west-1',
  WARDEN_TARGET_SOURCE: 'organizations',
  WARDEN_ORG_TARGET_MODE: 'replace',
  WARDEN_ORG_UNITS: ROOT,
  WARDEN_TARGET_REGIONS: REGIONS.join(','),
});
const resolve = targetResolver({
  config,
  homeAccount: HOME,
  org: organizationsReader(new OrganizationsClient({ region: 'us-east-1' })),
  now: () => new Date(),
});

// 1. resolution
let t0 = performance.now();
const resolution = await resolve();
const resolveMs = performance.now() - t0;
const calls = organizations.calls();
const ratio = resolveMs / boundMs;

// 2. every automation, at each applyPercent, over the resolved targets (read again: the run's memo answers).
const sqs = new SQSClient({ region: 'eu-west-1' });
const applied = new Map<string, Set<string>[]>();
let units = 0;
let inactiveUnits = 0;
let shareErrorPp = 0;
aws.reset();
t0 = performance.now();
for (const automation of AUTOMATION_NAMES) {
  const sets: Set<string>[] = [];
  for (const applyPercent of PERCENTS) {
    const queued: WorkUnit[] = [];
    await dispatch(
      {
        targets: (await resolve()).targets,
        flags: { enabled: true, dryRun: false, applyPercent, source: 'ssm' },
        send: async (queue, messages) => {
          await sendAll(sqs, `https://sqs/work-${queue}`, messages, 50);
          for (const m of messages) queued.push(JSON.parse(m.body) as WorkUnit);
        },
        now: () => new Date(),
        dispatchId: `bench-${automation}-${applyPercent}`,
      },
      { automation },
    );
    units += queued.length;
    inactiveUnits += queued.filter((u) => !active.has(u.account)).length;
    const on = new Set(queued.filter((u) => !u.dryRun).map((u) => u.account));
    const all = new Set(queued.map((u) => u.account));
    shareErrorPp = Math.max(shareErrorPp, Math.abs((100 * on.size) / all.size - applyPercent));
    sets.push(on);
  }
  applied.set(automation, sets);
}
const dispatchMs = performance.now() - t0;
const dispatchCalls = aws.calls();
const orgCallsInDispatch = organizations.calls() - calls;
const nested = [...applied.values()].every((sets) =>
  sets.every((s, i) => i === 0 || [...sets[i - 1]!].every((a) => s.has(a))),
);

const resolvedOk =
  resolution.accounts.length === active.size &&
  resolution.accounts.every((a) => active.has(a.account)) &&
  resolution.findings.length === 0;
console.log(
  `organization: ${ACCOUNTS} accounts (${active.size} ACTIVE) in ${ous.length} nested OUs; ${REGIONS.length} regions`,
);
console.log(
  `resolution: ${resolution.accounts.length} accounts, ${resolution.targets.length} targets, ${resolution.skipped.length} skipped (${resolvedOk ? 'ok' : 'WRONG'}) in ${resolveMs.toFixed(0)} ms`,
);
console.log(
  `  calls ${calls} (goal = min_calls ${minCalls}: the fewest ListOrganizationalUnitsForParent + ListAccountsForParent pages at ${ORGANIZATIONS_MAX_RESULTS})`,
);
console.log(
  `  wall ${resolveMs.toFixed(0)} ms vs bound ${boundMs} ms (critical path ${criticalPages(ROOT)} pages x ${LATENCY_MS} ms): ratio ${ratio.toFixed(3)} (goal <= 1.3)`,
);
console.log(
  `dispatch: ${AUTOMATION_NAMES.length} automations x applyPercent ${PERCENTS.join('/')}: ${units} units (${inactiveUnits} for inactive accounts, goal 0), ${dispatchCalls} SQS calls, ${orgCallsInDispatch} Organizations calls (goal 0: resolved once per run), in ${dispatchMs.toFixed(0)} ms`,
);
console.log(
  `  applied accounts nested ${nested ? 'yes' : 'NO'}, largest share error ${shareErrorPp.toFixed(2)} pp (goal <= 3)`,
);
console.log(
  `bench org: accounts=${resolution.accounts.length} calls=${calls} min_calls=${minCalls} wall_ratio=${ratio.toFixed(2)} share_error_pp=${shareErrorPp.toFixed(2)} nested=${nested ? 'yes' : 'no'}`,
);
const ok =
  resolvedOk &&
  calls === minCalls &&
  ratio <= 1.3 &&
  shareErrorPp <= 3 &&
  nested &&
  inactiveUnits === 0 &&
  orgCallsInDispatch === 0;
process.exit(ok ? 0 : 1);
