import type { Target } from '../aws/clients.js';
import { ClientPool } from '../aws/clients.js';
import { homeAccount } from '../aws/identity.js';
import { type Config, loadConfig } from '../config.js';
import { ConfigError, ValidationError, WardenError } from '../errors.js';
import { collectingPublisher } from '../findings/publisher.js';
import { COMMANDS } from './commands.js';
import type { CliContext, CliIO } from './types.js';

const GLOBAL_BOOLEAN = new Set(['--json', '--apply', '--help']);
const GLOBAL_VALUE = new Set(['--account', '--region', '--stage']);

export interface GlobalFlags {
  json: boolean;
  apply: boolean;
  help: boolean;
  account?: string;
  region?: string;
  stage?: string;
}

/** Takes the global flags out of argv wherever they stand; the rest belongs to the command. */
export function splitGlobals(argv: readonly string[]): { globals: GlobalFlags; rest: string[] } {
  const globals: GlobalFlags = { json: false, apply: false, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    if (GLOBAL_BOOLEAN.has(flag) && inline === undefined)
      globals[flag.slice(2) as 'json' | 'apply' | 'help'] = true;
    else if (GLOBAL_VALUE.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) {
        throw new ValidationError('arguments', [{ field: flag, expected: 'a value' }]);
      }
      globals[flag.slice(2) as 'account' | 'region' | 'stage'] = value;
    } else rest.push(argv[i]!);
  }
  return { globals, rest };
}

export function usage(): string {
  const lines = [
    'usage: warden <command> [options] [--json] [--apply] [--account <id>] [--region <r>] [--stage <s>]',
    '',
  ];
  for (const c of COMMANDS) {
    lines.push(`  ${c.name.padEnd(11)} ${c.summary}`);
    for (const u of c.usage) lines.push(`      ${u}`);
  }
  lines.push('', 'Everything that changes AWS is a dry-run unless --apply is given.');
  return lines.join('\n');
}

export function consoleIO(json: boolean): CliIO {
  return {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    progress: (l) => {
      if (!json) process.stderr.write(`${l}\n`);
    },
  };
}

/** Builds the context lazily: commands that need no AWS never touch config, credentials or the network. */
export function createCliContext(globals: GlobalFlags, io: CliIO, env: NodeJS.ProcessEnv): CliContext {
  let config: Config | undefined;
  let pool: ClientPool | undefined;
  const getConfig = () => {
    config ??= loadConfig({
      ...env,
      WARDEN_STAGE: globals.stage ?? env.WARDEN_STAGE ?? 'dev',
      AWS_REGION: globals.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION,
      WARDEN_DRY_RUN: globals.apply ? 'false' : 'true',
    });
    return config;
  };
  const home = () => homeAccount(getConfig());
  return {
    io,
    json: globals.json,
    apply: globals.apply,
    ...(globals.stage === undefined ? {} : { stage: globals.stage }),
    config: getConfig,
    pool() {
      const c = getConfig();
      let known: string | undefined = c.homeAccount;
      void home().then(
        (a) => {
          known = a;
        },
        () => {},
      );
      pool ??= new ClientPool({
        homeAccount: () => known,
        homeRegion: c.region,
        roleName: c.executionRoleName,
        externalId: c.externalId,
        maxAttempts: c.awsMaxAttempts,
        sessionName: 'warden-cli',
      });
      return pool;
    },
    async target(): Promise<Target> {
      const c = getConfig();
      return { account: globals.account ?? (await home()), region: globals.region ?? c.region };
    },
    publish: collectingPublisher(),
    now: () => new Date(),
  };
}

/** Entry point of the `warden` CLI. Returns the exit code: 0 ok, 1 failure, 2 bad usage. */
export async function main(
  argv: readonly string[],
  io?: CliIO,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let globals: GlobalFlags;
  let rest: string[];
  try {
    ({ globals, rest } = splitGlobals(argv));
  } catch (err) {
    (io ?? consoleIO(false)).err(`${(err as Error).message}\n\n${usage()}`);
    return 2;
  }
  const out = io ?? consoleIO(globals.json);
  const [name, ...args] = rest;
  if (!name || name === 'help' || (globals.help && !name)) {
    out.out(usage());
    return name || globals.help ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    out.err(`unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  if (globals.help) {
    out.out(command.usage.join('\n'));
    return 0;
  }
  try {
    return await command.run(args, createCliContext(globals, out, env));
  } catch (err) {
    if (
      err instanceof ValidationError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      out.err(`${err.message}\n\nusage:\n  ${command.usage.join('\n  ')}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      out.err(`${err.message}\n(set them in the environment; see .env.example)`);
      return 2;
    }
    out.err(
      err instanceof WardenError
        ? err.message
        : `error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    );
    return 1;
  }
}
