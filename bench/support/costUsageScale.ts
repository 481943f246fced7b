/**
 * Child process of the cost bench: backtests one scenario file grouped by SERVICE and USAGE_TYPE three times, in a
 * process of its own so its peak RSS is its own. Prints one JSON line: `{"events", "withRootCause", "seconds", "peakRssMb"}`.
 */
import { backtestFiles } from '../../lib/cost/backtest.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: costUsageScale.ts <file.json>');
  process.exit(2);
}
const seconds: number[] = [];
let events = 0;
let withRootCause = 0;
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  const detected = backtestFiles([file]);
  seconds.push((performance.now() - started) / 1000);
  events = detected.length;
  withRootCause = detected.filter((e) => e.rootCause).length;
}
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ events, withRootCause, seconds, peakRssMb }));
