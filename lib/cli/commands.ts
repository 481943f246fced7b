import { backupCommand } from './backup.js';
import { costCommand } from './cost.js';
import { dashboardsCommand } from './dashboards.js';
import { demoCommand } from './demo.js';
import { flagsCommand } from './flags.js';
import { rollbackCommand } from './rollback.js';
import { runCommand } from './run.js';
import { secretCommand } from './secret.js';
import { selfcheckCommand } from './selfcheck.js';
import { targetsCommand } from './targets.js';
import type { CliCommand } from './types.js';

/** Every top-level command of `warden`, in the order `warden help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  demoCommand,
  runCommand,
  selfcheckCommand,
  flagsCommand,
  targetsCommand,
  backupCommand,
  secretCommand,
  costCommand,
  rollbackCommand,
  dashboardsCommand,
];
