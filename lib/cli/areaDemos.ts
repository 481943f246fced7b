import { demo as costDemo } from '../cost/demo.js';
import type { Finding } from '../findings/finding.js';
import type { CliIO } from './types.js';

export interface AreaDemo {
  title: string;
  examples: string;
  run(io: CliIO): Promise<Finding[] | undefined>;
}

/** The automations the demo runs on the AWS-shaped sample data in examples/. */
export const AREA_DEMOS: readonly AreaDemo[] = [
  { title: 'Cost anomaly check and report', examples: 'cost', run: costDemo },
];
