/**
 * secretExpiry over 10,000 secrets with every Secrets Manager call mocked at 50 ms (2 of them stuck in a failed
 * rotation, so 2 ListSecretVersionIds calls are expected on top of the 100 ListSecrets pages), then a full four-step
 * PostgreSQL rotation (single user) against the local server, median of 20.
 * Goals: api_calls <= ceil(n / 100) + 2; wall <= 1.2 x calls x 50 ms.
 */
import './support/benchEnv.js';
import { performance } from 'node:perf_hooks';

const AWS_MS = 50;
const SECRETS = 10_000;
const ROTATIONS = 20;
const DAY = 86_400_000;
const NOW = new Date('2026-11-26T06:00:00Z');

const { ListSecretsCommand, ListSecretVersionIdsCommand } = await import('@aws-sdk/client-secrets-manager');
const { runSecretExpiry, secretsManagerReads } = await import('../lib/secrets/automation.js');
const { memorySink } = await import('../lib/runtime/metricSink.js');
const { mockSecretsManager, SecretStore } = await import('../test/unit/secrets/fakeSecretsManager.js');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

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
// The service's own time is the 50 ms sleep: pages are built before the clock starts, not by the fake per call.
const pages = new Map<string, ReturnType<typeof store.list>>();
let pageToken: string | undefined;
do {
  const page = store.list({ MaxResults: 100, NextToken: pageToken });
  pages.set(pageToken ?? '', page);
  pageToken = page.NextToken;
} while (pageToken);
let calls = 0;
sm.mock.on(ListSecretsCommand).callsFake(async (input) => {
  calls++;
  await sleep(AWS_MS);
  return pages.get(input.NextToken ?? '');
});
sm.mock.on(ListSecretVersionIdsCommand).callsFake(async (input) => {
  calls++;
  await sleep(AWS_MS);
  return store.versionIds(input);
});

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
const allowedCalls = Math.ceil(SECRETS / 100) + 2;
const wallRatio = wall / (calls * AWS_MS);
console.log(`secretExpiry: ${result.summary}`);
console.log(
  `  findings ${result.findings.length}; metrics ${metrics.recorded.map((m) => `${m.name}=${m.value}`).join(' ')}`,
);
console.log(`  api calls ${calls} (goal <= ${allowedCalls}: ${calls <= allowedCalls ? 'ok' : 'MISSED'})`);
console.log(
  `  wall ${wall.toFixed(0)} ms = ${wallRatio.toFixed(3)} x calls x ${AWS_MS} ms (goal <= 1.2: ${wallRatio <= 1.2 ? 'ok' : 'MISSED'})`,
);
sm.mock.restore();

// --- part 2: full four-step PostgreSQL rotation against the local server ---
let rotationMs = 'NA';
const { pgAdmin, enforcingConnect, secretFor } = await import('../test/integration/secrets/databases.js');
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
    value: JSON.stringify(secretFor('postgres', { username: user, password: 'Bench-pass1' })),
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
  `bench secrets: secrets=${SECRETS} api_calls=${calls} wall_ratio=${wallRatio.toFixed(3)} rotation_ms=${rotationMs}`,
);
