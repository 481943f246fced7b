/**
 * Per function: minified bundle size, and the median module-load time over 15 fresh Node processes, beside the
 * median time of require('@aws-sdk/client-rds') from node_modules measured in the same run (interleaved, each process
 * pinned to the same CPU, each loader warmed up by a one-line module first). Goals: <= 500 KB
 * (KiB, 1024 bytes, as esbuild reports sizes),
 * load ratio <= 0.8.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readZip } from '../lib/cli/zip.js';
import { median } from './support/stats.js';

const RUNS = 15;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'warden-bundles-'));
const env = {
  ...process.env,
  WARDEN_STAGE: 'dev',
  AWS_REGION: 'eu-west-1',
  WARDEN_HOME_ACCOUNT: '111111111111',
  WARDEN_FINDINGS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111111111111/warden-dev-findings',
  WARDEN_ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111111111111:warden-dev-alerts',
  WARDEN_STATE_TABLE: 'warden-dev-state',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

/**
 * Lambda gives a function of warden's sizes (512 MB) a share of one vCPU, and on a small VM the CPUs differ (here
 * one was ~40 % slower than the other, so unpinned medians swung from run to run): every measured process, the
 * reference and the bundles alike, runs pinned to the same CPU when `taskset` exists.
 */
const cpu = availableParallelism() - 1;
const pin = spawnSync('taskset', ['-c', String(cpu), 'true']).status === 0;

/** Milliseconds one fresh process spends loading `code`'s module (Node's own start-up excluded). */
function loadMs(script: string, cwd: string): number {
  const node = [process.execPath, '--input-type=module', '-e', script];
  const [cmd, ...args] = pin ? ['taskset', '-c', String(cpu), ...node] : node;
  const r = spawnSync(cmd as string, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`load failed: ${r.stderr.slice(0, 500)}`);
  return Number(r.stdout.trim().split('\n').pop());
}

console.log('packaging the dev stage...');
execFileSync(
  join(root, 'node_modules/.bin/sls'),
  ['package', '--stage', 'dev', '--package', join(work, 'pkg')],
  { cwd: root, stdio: 'ignore', env: { ...process.env, SLS_TELEMETRY_DISABLED: '1' } },
);

/**
 * The first module a process loads also warms its loader up (~4.5 ms for ESM, ~2 ms for CommonJS, measured
 * here). The Lambda runtime has loaded its own modules before it imports a handler, so each measured process
 * first loads a one-line module through the same loader (CommonJS for the reference, ESM for the bundles).
 */
writeFileSync(join(work, 'warm.cjs'), 'module.exports = 0;\n');
writeFileSync(join(work, 'warm.mjs'), 'export default 0;\n');
const warmCjs = JSON.stringify(join(work, 'warm.cjs'));
const warmEsm = JSON.stringify(pathToFileURL(join(work, 'warm.mjs')).href);
const refScript = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(`${root}/`)}); require(${warmCjs}); const t = performance.now(); require('@aws-sdk/client-rds'); console.log(performance.now() - t);`;
const bundles = readdirSync(join(work, 'pkg')).filter((f) => f.endsWith('.zip'));
const rows: { name: string; kb: number; ms: number }[] = [];
const refTimes: number[] = [];
const times = new Map<string, number[]>(bundles.map((b) => [b, []]));
const files = new Map<string, string>();
for (const zip of bundles) {
  const dir = join(work, zip.replace(/\.zip$/, ''));
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of readZip(join(work, 'pkg', zip))) {
    if (!name.endsWith('.mjs')) continue;
    const file = join(dir, name.replace(/\//g, '_'));
    writeFileSync(file, data);
    files.set(zip, file);
  }
}
// Interleave the reference and the bundles so machine noise hits all of them alike.
for (let i = 0; i < RUNS; i++) {
  refTimes.push(loadMs(refScript, root));
  for (const zip of bundles) {
    const url = pathToFileURL(files.get(zip)!).href;
    times
      .get(zip)!
      .push(
        loadMs(
          `await import(${warmEsm}); const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`,
          work,
        ),
      );
  }
}
const ref = median(refTimes);
for (const zip of bundles) {
  const size = (await import('node:fs')).statSync(files.get(zip)!).size;
  rows.push({ name: zip.replace(/\.zip$/, ''), kb: size / 1024, ms: median(times.get(zip)!) });
}
console.log(
  `reference: require('@aws-sdk/client-rds') median ${ref.toFixed(1)} ms over ${RUNS} processes${pin ? `, each pinned to CPU ${cpu}` : ' (taskset not found: processes not pinned)'}`,
);
console.log(
  `${'function'.padEnd(28)} ${'bundle KiB'.padStart(10)} ${'load ms'.padStart(9)} ${'ratio'.padStart(7)}`,
);
for (const r of rows.sort((a, b) => b.kb - a.kb)) {
  console.log(
    `${r.name.padEnd(28)} ${r.kb.toFixed(1).padStart(10)} ${r.ms.toFixed(1).padStart(9)} ${(r.ms / ref).toFixed(2).padStart(7)}`,
  );
}
rmSync(work, { recursive: true, force: true });
const maxKb = Math.max(...rows.map((r) => r.kb));
const maxRatio = Math.max(...rows.map((r) => r.ms / ref));
console.log(
  `goals: bundle <= 500 KB ${maxKb <= 500 ? 'met' : 'MISSED'}, load ratio <= 0.8 ${maxRatio <= 0.8 ? 'met' : 'MISSED'}`,
);
console.log(`bench bundles: max_kb=${maxKb.toFixed(1)} max_load_ratio=${maxRatio.toFixed(2)}`);
