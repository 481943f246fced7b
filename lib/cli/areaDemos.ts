import { demo as backupDemo } from '../backup/demo.js';
import { demo as costDemo } from '../cost/demo.js';
import type { Finding } from '../findings/finding.js';
import { demo as rollbackDemo } from '../rollback/demo.js';
import { demo as secretsDemo } from '../secrets/demo.js';
import type { CliIO } from './types.js';

export interface AreaDemo {
  title: string;
  examples: string;
  run(io: CliIO): Promise<Finding[] | undefined>;
}

/** The automations the demo runs on the AWS-shaped sample data in examples/. */
export const AREA_DEMOS: readonly AreaDemo[] = [
  { title: 'Backup verification', examples: 'backup', run: backupDemo },
  { title: 'Secret expiry', examples: 'secrets', run: secretsDemo },
  { title: 'Cost anomaly check and report', examples: 'cost', run: costDemo },
  { title: 'Alarm-driven auto-rollback decisions', examples: 'rollback', run: rollbackDemo },
];
