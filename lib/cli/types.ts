import type { ClientPool, Target } from '../aws/clients.js';
import type { Config } from '../config.js';
import type { Publish } from '../findings/publish.js';

/** Where CLI output goes; tests pass a recorder. `progress` writes to stderr and is silent with --json. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  progress(line: string): void;
}

/** What every CLI command gets, built once at the edge (bin/warden.mjs -> lib/cli/main.ts). */
export interface CliContext {
  io: CliIO;
  /** --json: print one JSON document on stdout instead of tables. */
  json: boolean;
  /** --apply: act; without it every mutating command is a dry-run. */
  apply: boolean;
  /** --stage, a global flag (it also selects the config's stage); commands that act on a stage read it here. */
  stage?: string;
  /** Lazily built so commands that need no AWS (backtest, reports from files) run without credentials. */
  config(): Config;
  pool(): ClientPool;
  /** The target given by --account/--region, else the home account and region. */
  target(): Promise<Target>;
  publish: Publish;
  now(): Date;
}

/** One top-level command (`warden <name> ...`). Returns the exit code; throws ValidationError for bad usage (exit 2). */
export interface CliCommand {
  name: string;
  summary: string;
  /** Usage lines, printed by `warden help` and on bad usage. */
  usage: readonly string[];
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}
