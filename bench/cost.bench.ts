/**
 * Cost anomaly benchmark: accuracy of the backtest on the labelled dev set (scored by the shared scorer) and
 * speed and memory of the backtest over the 600 services x 365 days scale file, and the root causes the backtest
 * names on the same scenarios grouped by SERVICE and USAGE_TYPE (dev-usage/, scored with `--root-cause`), and the
 * speed and memory of the backtest over the scale file split into 4 usage types per service (in a child process).
 * Last line: `bench cost: precision=<x> recall=<x> f1=<x> backtest_s=<x> rootcause_acc=<x> region_acc=<x>
 * usage_backtest_s=<x>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backtestFiles, scenarioFiles } from '../lib/cost/backtest.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared');
const devDir = join(shared, 'datasets', 'cost', 'dev');
const usageDir = join(shared, 'datasets', 'cost', 'dev-usage');
const scaleFile = join(shared, 'datasets', 'cost', 'scale', 'scale-600x365.json');
const scorer = join(shared, 'bench', 'cost-anomaly', 'score.mjs');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f3 = (x: number) => x.toFixed(3);

const cpuTimes: number[] = [];

function time<T>(fn: () => T): [T, number] {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  cpuTimes.push((used.user + used.system) / 1e6);
  return [value, (performance.now() - started) / 1000];
}

const missing = [devDir, usageDir, scaleFile, scorer].filter((p) => !existsSync(p));
if (missing.length > 0) {
  console.log(`../shared is absent or incomplete: missing ${missing.join(', ')}`);
  console.log('cannot score the detector or time the backtest without the shared dataset; nothing measured');
  console.log('bench cost: precision=n/a recall=n/a f1=n/a backtest_s=n/a rootcause_acc=n/a region_acc=n/a');
  process.exit(0);
}

// Scale first, so the peak RSS is that of the large backtest and not of the dev runs.
const scaleTimes: number[] = [];
let scaleEvents = 0;
for (let run = 0; run < 3; run++) {
  const [events, seconds] = time(() => backtestFiles([scaleFile]));
  scaleEvents = events.length;
  scaleTimes.push(seconds);
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const scaleCpu = median(cpuTimes);
const backtestS = median(scaleTimes);
console.log(
  `scale 600x365: ${scaleEvents} events, backtest ${scaleTimes.map((t) => t.toFixed(3)).join(' / ')} s (median ${backtestS.toFixed(3)} s, goal <= 2 s, ratio ${(backtestS / 2).toFixed(2)}; CPU ${scaleCpu.toFixed(3)} s)`,
);
console.log(`peak RSS ${peakRssMb.toFixed(0)} MB (goal <= 256 MB, ratio ${(peakRssMb / 256).toFixed(2)})`);

const files = scenarioFiles(devDir);
const devTimes: number[] = [];
let detections: ReturnType<typeof backtestFiles> = [];
for (let run = 0; run < 3; run++) {
  const [events, seconds] = time(() => backtestFiles(files));
  detections = events;
  devTimes.push(seconds);
}
console.log(
  `dev: ${files.length} scenarios, ${detections.length} detections, backtest median ${median(devTimes).toFixed(3)} s`,
);

function score(labels: string, detections: unknown[], extra: string[]): Score {
  const file = join(mkdtempSync(join(tmpdir(), 'warden-cost-bench-')), 'detections.json');
  writeFileSync(file, JSON.stringify(detections));
  const scored = spawnSync(
    process.execPath,
    [scorer, '--labels', labels, '--detections', file, '--json', ...extra],
    { encoding: 'utf8' },
  );
  if (scored.status !== 0) {
    console.error(`score.mjs failed (exit ${scored.status}): ${scored.stderr}`);
    process.exit(1);
  }
  return JSON.parse(scored.stdout) as Score;
}

interface Score {
  precision: number;
  recall: number;
  f1: number;
  false_positives: number;
  events: number;
  events_detected: number;
  fp_per_1000_service_days: number;
  per_kind: Record<string, { events: number; detected: number }>;
  root_cause_usage_type_acc?: number;
  root_cause_region_acc?: number;
  root_cause_matched?: number;
  root_cause_usage_type_correct?: number;
  root_cause_region_correct?: number;
}

const dev = score(join(devDir, 'labels.json'), detections, ['--data-dir', devDir]);
console.log(
  `dev score: ${dev.events_detected}/${dev.events} events, ${dev.false_positives} false positives (${f3(dev.fp_per_1000_service_days)} per 1,000 service-days); goal f1 >= 0.95 and precision >= 0.95`,
);
console.log(
  `per kind: ${Object.entries(dev.per_kind)
    .map(([k, v]) => `${k} ${v.detected}/${v.events}`)
    .join(', ')}`,
);

const usageFiles = scenarioFiles(usageDir);
const [usageDetections, usageSeconds] = time(() => backtestFiles(usageFiles));
const usage = score(join(usageDir, 'labels.json'), usageDetections, ['--data-dir', usageDir, '--root-cause']);
const rootcauseAcc = usage.root_cause_usage_type_acc ?? 0;
const regionAcc = usage.root_cause_region_acc ?? 0;
console.log(
  `dev-usage: ${usageFiles.length} scenarios, ${usageDetections.length} detections in ${usageSeconds.toFixed(3)} s; precision ${f3(usage.precision)} recall ${f3(usage.recall)} (must equal dev)`,
);
console.log(
  `root causes: usage type ${usage.root_cause_usage_type_correct}/${usage.root_cause_matched} (goal >= 0.95), region ${usage.root_cause_region_correct}/${usage.root_cause_matched} (goal >= 0.97)`,
);
// Last, so the split file never weighs on the peak RSS above: the scale file split into 4 usage types per service
// (exact decimal parts, so each service's sum is its amount), backtested in a process of its own.
const usageScale = join(mkdtempSync(join(tmpdir(), 'warden-cost-bench-')), 'scale-usage.json');
writeFileSync(usageScale, splitIntoUsageTypes(readFileSync(scaleFile, 'utf8')));
const child = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'bench', 'support', 'costUsageScale.ts'), usageScale],
  { encoding: 'utf8' },
);
rmSync(usageScale);
if (child.status !== 0) {
  console.error(`usage-type scale backtest failed (exit ${child.status}): ${child.stderr}`);
  process.exit(1);
}
const usageRun = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
  events: number;
  withRootCause: number;
  seconds: number[];
  peakRssMb: number;
};
const usageBacktestS = median(usageRun.seconds);
console.log(
  `scale 600x365 by 4 usage types: ${usageRun.events} events (${scaleEvents} at service level), ${usageRun.withRootCause} with a root cause, backtest ${usageRun.seconds.map((t) => t.toFixed(3)).join(' / ')} s (median ${usageBacktestS.toFixed(3)} s, goal <= 4 s, ratio ${(usageBacktestS / 4).toFixed(2)}); peak RSS ${usageRun.peakRssMb.toFixed(0)} MB (goal <= 512 MB, ratio ${(usageRun.peakRssMb / 512).toFixed(2)})`,
);
console.log(
  `bench cost: precision=${f3(dev.precision)} recall=${f3(dev.recall)} f1=${f3(dev.f1)} backtest_s=${backtestS.toFixed(3)} rootcause_acc=${f3(rootcauseAcc)} region_acc=${f3(regionAcc)} usage_backtest_s=${usageBacktestS.toFixed(3)}`,
);

/** A service-level export split into 4 usage types per service, 40/30/20/10 % in exact 1e-7 USD units. */
function splitIntoUsageTypes(json: string): string {
  const types = [
    'USE1-BoxUsage:m5.large',
    'USE1-TimedStorage-ByteHrs',
    'EUW1-Requests-Tier1',
    'APN1-DataTransfer-Out-Bytes',
  ];
  const units = (a: string) => {
    const [whole, fraction = ''] = a.split('.');
    return BigInt(whole! + fraction.padEnd(7, '0').slice(0, 7));
  };
  const text = (u: bigint) => {
    const digits = u.toString().padStart(8, '0');
    return `${digits.slice(0, -7)}.${digits.slice(-7)}`;
  };
  type Group = { Keys: string[]; Metrics: { UnblendedCost: { Amount: string; Unit: string } } };
  const data = JSON.parse(json) as { GroupDefinitions: unknown; ResultsByTime: { Groups: Group[] }[] };
  for (const r of data.ResultsByTime) {
    r.Groups = r.Groups.flatMap((g) => {
      const total = units(g.Metrics.UnblendedCost.Amount);
      const parts = [4n, 3n, 2n, 1n].map((share) => (total * share) / 10n);
      parts[0]! += total - parts.reduce((a, b) => a + b, 0n);
      return parts.map((p, k) => ({
        Keys: [g.Keys[0]!, types[k]!],
        Metrics: { UnblendedCost: { Amount: text(p), Unit: 'USD' } },
      }));
    });
  }
  data.GroupDefinitions = [
    { Type: 'DIMENSION', Key: 'SERVICE' },
    { Type: 'DIMENSION', Key: 'USAGE_TYPE' },
  ];
  return JSON.stringify(data);
}
