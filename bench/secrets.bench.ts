/**
 * secretExpiry over 10,000 secrets with every Secrets Manager call mocked at 50 ms, then a full four-step
 * PostgreSQL rotation (single user) against the local server, median of 20.
 * min_calls comes from the work: the listing at the API's largest page (ListSecrets MaxResults <= 100) and, for each
 * secret stuck in a failed rotation (2 here), its versions at the largest page (ListSecretVersionIds MaxResults
 * <= 100). The fake pages as the service does (the page size the code asks for, out-of-range sizes rejected).
 * Goals: api_calls <= min_calls (nothing throttles or fails here, so any call more is waste);
 * wall <= 1.2 x min_calls x 50 ms.
 */
import './support/benchEnv.js';
import { performance } from 'node:perf_hooks';
import { fakeService } from './support/served.js';
import { median } from './support/stats.js';

const AWS_MS = 50;
const SECRETS = 10_000;
const ROTATIONS = 20;
const DAY = 86_400_000;
const NOW = new Date('2026-11-26T06:00:00Z');

const { ListSecretsCommand, ListSecretVersionIdsCommand } = await import('@aws-sdk/client-secrets-manager');
const { runSecretExpiry, secretsManagerReads } = await import('../lib/secrets/automation.js');
const { memorySink } = await import('../lib/runtime/metricSink.js');
const { mockSecretsManager, SecretStore } = await import('../test/unit/secrets/fakeSecretsManager.js');
const { pagesFor, SECRETS_MANAGER_MAX_RESULTS } = await import('../test/support/awsPaging.js');

// --- part 1: secretExpiry over 10,000 secrets ---
const sm = mockSecretsManager();
const store = new SecretStore();
store.clock = () => new Date(NOW.getTime() - 3 * DAY);
for (let i = 0; i < SECRETS; i++) {
  const arn = store.add({
    name: `app-${i}/db`,
    value: '{}',
    rotationEnabled: i % 3 !== 0,
    rotationDays: 30,
    tags: i % 7 === 0 ? { 'warden:max-age-days': '60' } : {},
  });
  const s = store.find(arn);
  s.lastRotatedDate = new Date(NOW.getTime() - (i % 40) * DAY);
  s.lastChangedDate = new Date(NOW.getTime() - (i % 120) * DAY);
}
for (const i of [17, 4242]) await store.rotate({ SecretId: `app-${i}/db` });
store.install(sm.mock);
const stuck = [...store.secrets.values()].filter((s) => {
  const pending = store.holder(s, 'AWSPENDING');
  return pending !== undefined && !s.versions.get(pending)?.stages.has('AWSCURRENT');
});
const listPages = pagesFor(SECRETS, SECRETS_MANAGER_MAX_RESULTS);
const versionPages = stuck.reduce((n, s) => n + pagesFor(s.versions.size, SECRETS_MANAGER_MAX_RESULTS), 0);
const minCalls = listPages + versionPages;

// The service's own time is the 50 ms sleep: the fake's code runs once before the clock starts, so the timed
// calls do not pay its compilation.
let warmToken: string | undefined;
do warmToken = store.list({ MaxResults: SECRETS_MANAGER_MAX_RESULTS, NextToken: warmToken }).NextToken;
while (warmToken);

const aws = fakeService(AWS_MS);
const served = aws.served;
sm.mock.on(ListSecretsCommand).callsFake((input) => served(() => store.list(input)));
sm.mock.on(ListSecretVersionIdsCommand).callsFake((input) => served(() => store.versionIds(input)));

const metrics = memorySink();
const t0 = performance.now();
const result = await runSecretExpiry({
  reads: secretsManagerReads(sm.client),
  now: () => NOW,
  target: { account: '111111111111', region: 'eu-west-1' },
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  metrics,
  dryRun: true,
});
const wall = performance.now() - t0;
const wallRatio = wall / (minCalls * AWS_MS);
// Fewer calls than min_calls only means the walk stopped early (a refused page is reported, not thrown).
const listed = (result.report as { secrets?: number }).secrets ?? 0;
const callsOk = aws.calls() <= minCalls && listed === SECRETS;
console.log(`secretExpiry: ${result.summary}`);
console.log(
  `  findings ${result.findings.length}; metrics ${metrics.recorded.map((m) => `${m.name}=${m.value}`).join(' ')}`,
);
console.log(
  `  min_calls ${minCalls} = ${listPages} ListSecrets pages (${SECRETS} / ${SECRETS_MANAGER_MAX_RESULTS}) + ${versionPages} ListSecretVersionIds page(s) for ${stuck.length} stuck secret(s)`,
);
console.log(
  `  api calls ${aws.calls()}, ${listed} of ${SECRETS} secrets listed (goal <= min_calls ${minCalls}, all listed: ${callsOk ? 'ok' : 'MISSED'})`,
);
console.log(
  `  wall ${wall.toFixed(0)} ms = ${wallRatio.toFixed(3)} x min_calls x ${AWS_MS} ms (goal <= 1.2: ${wallRatio <= 1.2 ? 'ok' : 'MISSED'})`,
);
sm.mock.restore();

// --- part 2: full four-step PostgreSQL rotation against the local server ---
let rotationMs = 'NA';
const { pgAdmin, enforcingConnect, plainPgSecret } = await import('../test/integration/secrets/databases.js');
let admin: Awaited<ReturnType<typeof pgAdmin>> | undefined;
try {
  admin = await pgAdmin();
} catch (err) {
  console.log(
    `rotation: no PostgreSQL at TEST_PG_URL or 127.0.0.1:5432 (${(err as Error).message}): skipped`,
  );
}
if (admin) {
  const { mockSecretsManager: mock2, SecretStore: Store2 } = await import(
    '../test/unit/secrets/fakeSecretsManager.js'
  );
  const { rotateSecretStep, STEPS, DEFAULT_PASSWORD_POLICY } = await import('../lib/secrets/rotation.js');
  const sm2 = mock2();
  const store2 = new Store2();
  store2.install(sm2.mock);
  const user = `wbench_${process.pid}`;
  await admin.query(`DROP ROLE IF EXISTS ${user}`);
  await admin.query(`CREATE ROLE ${user} LOGIN PASSWORD 'Bench-pass1'`);
  const arn = store2.add({
    name: 'bench',
    value: JSON.stringify(plainPgSecret({ username: user, password: 'Bench-pass1' })),
  });
  // The local server trusts 127.0.0.1, so logins are checked against the stored SCRAM verifier (one extra query).
  const deps = {
    sm: sm2.client,
    connect: enforcingConnect(admin),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    password: DEFAULT_PASSWORD_POLICY,
    now: () => NOW,
  };
  const times: number[] = [];
  try {
    for (let r = 0; r < ROTATIONS; r++) {
      const start = performance.now();
      const { VersionId: token } = await store2.rotate({ SecretId: arn });
      for (const step of STEPS) await rotateSecretStep(deps, { step, secretId: arn, token });
      times.push(performance.now() - start);
    }
  } finally {
    await admin.query(`DROP ROLE IF EXISTS ${user}`);
    await admin.end();
  }
  rotationMs = median(times).toFixed(0);
  console.log(
    `rotation (PostgreSQL, single user, ${ROTATIONS} runs): median ${rotationMs} ms, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
  );
}

console.log(
  `bench secrets: secrets=${SECRETS} api_calls=${aws.calls()} min_calls=${minCalls} wall_ratio=${wallRatio.toFixed(3)} rotation_ms=${rotationMs}`,
);
