/**
 * Cost anomaly benchmark: accuracy of the backtest on the labelled dev set (scored by the shared scorer) and
 * speed and memory of the backtest over the 600 services x 365 days scale file.
 * Last line: `bench cost: precision=<x> recall=<x> f1=<x> backtest_s=<x>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backtestFiles, scenarioFiles } from '../lib/cost/backtest.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(root, '..', 'shared');
const devDir = join(shared, 'datasets', 'cost', 'dev');
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

const missing = [devDir, scaleFile, scorer].filter((p) => !existsSync(p));
if (missing.length > 0) {
  console.log(`../shared is absent or incomplete: missing ${missing.join(', ')}`);
  console.log('cannot score the detector or time the backtest without the shared dataset; nothing measured');
  console.log('bench cost: precision=n/a recall=n/a f1=n/a backtest_s=n/a');
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
const out = join(mkdtempSync(join(tmpdir(), 'warden-cost-bench-')), 'detections.json');
writeFileSync(out, JSON.stringify(detections));
console.log(
  `dev: ${files.length} scenarios, ${detections.length} detections, backtest median ${median(devTimes).toFixed(3)} s`,
);

const scored = spawnSync(
  process.execPath,
  [scorer, '--labels', join(devDir, 'labels.json'), '--detections', out, '--data-dir', devDir, '--json'],
  { encoding: 'utf8' },
);
if (scored.status !== 0) {
  console.error(`score.mjs failed (exit ${scored.status}): ${scored.stderr}`);
  process.exit(1);
}
const score = JSON.parse(scored.stdout) as {
  precision: number;
  recall: number;
  f1: number;
  false_positives: number;
  events: number;
  events_detected: number;
  fp_per_1000_service_days: number;
  per_kind: Record<string, { events: number; detected: number }>;
};
console.log(
  `dev score: ${score.events_detected}/${score.events} events, ${score.false_positives} false positives (${f3(score.fp_per_1000_service_days)} per 1,000 service-days); goal f1 >= 0.95 and precision >= 0.95`,
);
console.log(
  `per kind: ${Object.entries(score.per_kind)
    .map(([k, v]) => `${k} ${v.detected}/${v.events}`)
    .join(', ')}`,
);
console.log(
  `bench cost: precision=${f3(score.precision)} recall=${f3(score.recall)} f1=${f3(score.f1)} backtest_s=${backtestS.toFixed(3)}`,
);
