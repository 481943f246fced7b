import * as z from 'zod/mini';
import { ConfigError, type ConfigProblem } from './errors.js';
import { describeExpected } from './validation.js';

const csv = <T extends z.ZodMiniType>(item: T) =>
  z
    .pipe(
      z.string(),
      z.transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      ),
    )
    .check(z.refine((arr) => arr.every((x) => item.safeParse(x).success)));
const bool = z.pipe(
  z.enum(['true', 'false', '1', '0', 'yes', 'no']),
  z.transform((s) => s === 'true' || s === '1' || s === 'yes'),
);
const num = (min: number, max: number) => z.coerce.number().check(z.minimum(min), z.maximum(max));
const accountId = z.string().check(z.regex(/^\d{12}$/));
const region = z.string().check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/));
const url = z.string().check(z.regex(/^https:\/\/\S+$/));
const arn = z.string().check(z.regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/));

interface VarSpec {
  key: string;
  schema: z.ZodMiniType;
  expected: string;
  default?: string;
  /** Never echo the value in an error. */
  secret?: boolean;
}

/** Every environment variable warden reads (documented in lib/configDocs.ts, .env.example and the README). */
export const ENV_SPEC = {
  WARDEN_STAGE: {
    key: 'stage',
    schema: z.enum(['dev', 'staging', 'prod']),
    expected: 'dev, staging or prod',
  },
  AWS_REGION: { key: 'region', schema: region, expected: 'an AWS region such as eu-west-1' },
  WARDEN_HOME_ACCOUNT: {
    key: 'homeAccount',
    schema: z.optional(accountId),
    expected: 'a 12-digit account id',
  },
  WARDEN_TARGET_ACCOUNTS: {
    key: 'targetAccounts',
    schema: csv(accountId),
    expected: 'comma-separated 12-digit account ids',
    default: '',
  },
  WARDEN_TARGET_REGIONS: {
    key: 'targetRegions',
    schema: csv(region),
    expected: 'comma-separated AWS regions',
    default: '',
  },
  WARDEN_EXECUTION_ROLE_NAME: {
    key: 'executionRoleName',
    schema: z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/)),
    expected: 'an IAM role name',
    default: 'WardenExecutionRole',
  },
  WARDEN_EXTERNAL_ID: {
    key: 'externalId',
    schema: z.optional(z.string().check(z.regex(/^[\w+=,.@:/-]{2,1224}$/))),
    expected: 'an STS external id (2-1224 characters)',
    secret: true,
  },
  WARDEN_DRY_RUN: { key: 'dryRun', schema: bool, expected: 'true or false', default: 'true' },
  WARDEN_FLAGS_PATH: {
    key: 'flagsPath',
    schema: z.optional(z.string().check(z.regex(/^\/[\w./-]+[^/]$/))),
    expected: 'an SSM parameter path such as /warden/dev/flags',
  },
  WARDEN_FLAGS_MAX_AGE_SECONDS: {
    key: 'flagsMaxAgeSeconds',
    schema: num(0, 3600),
    expected: 'seconds between 0 and 3600',
    default: '30',
  },
  WARDEN_AWS_MAX_ATTEMPTS: {
    key: 'awsMaxAttempts',
    schema: num(1, 10),
    expected: 'a number of attempts between 1 and 10',
    default: '5',
  },
  WARDEN_RPO_HOURS: {
    key: 'rpoHours',
    schema: num(1, 720),
    expected: 'hours between 1 and 720',
    default: '24',
  },
  WARDEN_DAILY_BUDGET_USD: {
    key: 'dailyBudgetUsd',
    schema: num(0, 1e9),
    expected: 'a non-negative amount of USD',
    default: '100',
  },
  WARDEN_MONTHLY_BUDGET_USD: {
    key: 'monthlyBudgetUsd',
    schema: num(0, 1e10),
    expected: 'a non-negative amount of USD',
    default: '2000',
  },
  WARDEN_FINDINGS_QUEUE_URL: {
    key: 'findingsQueueUrl',
    schema: z.optional(z.union([url, z.string().check(z.regex(/^[\w-]{1,80}$/))])),
    expected: 'an https SQS queue URL or a queue name',
  },
  WARDEN_WORK_QUEUE_PREFIX: {
    key: 'workQueuePrefix',
    schema: z.optional(z.string().check(z.regex(/^[\w-]{1,60}$/))),
    expected: 'an SQS queue name prefix',
  },
  WARDEN_MAX_RECEIVES: {
    key: 'maxReceives',
    schema: num(1, 100),
    expected: 'a number between 1 and 100',
    default: '5',
  },
  WARDEN_ALERTS_TOPIC_ARN: {
    key: 'alertsTopicArn',
    schema: z.optional(z.union([arn, z.string().check(z.regex(/^[\w-]{1,256}$/))])),
    expected: 'an SNS topic ARN or a topic name',
  },
  WARDEN_STATE_TABLE: {
    key: 'stateTable',
    schema: z.optional(z.string().check(z.regex(/^[\w.-]{3,255}$/))),
    expected: 'a DynamoDB table name',
  },
  WARDEN_SLACK_SECRET_ARN: {
    key: 'slackSecretArn',
    schema: z.optional(arn),
    expected: 'a Secrets Manager secret ARN',
  },
  WARDEN_SUPPRESSION_HOURS: {
    key: 'suppressionHours',
    schema: num(0, 720),
    expected: 'hours between 0 and 720',
    default: '24',
  },
  WARDEN_RUNBOOK_URL: {
    key: 'runbookUrl',
    schema: url,
    expected: 'an https URL',
    default: 'https://github.com/warden/warden/blob/main/docs/operations',
  },
  WARDEN_ROTATION_PASSWORD_LENGTH: {
    key: 'rotationPasswordLength',
    schema: num(16, 128),
    expected: 'a length between 16 and 128',
    default: '32',
  },
  WARDEN_ROTATION_EXCLUDE_CHARACTERS: {
    key: 'rotationExcludeCharacters',
    schema: z.string(),
    expected: 'characters',
    default: '/@"\'\\`:;?#[]{}%&=+ ,<>|^~$',
  },
  WARDEN_ROLLBACK_TARGETS: {
    key: 'rollbackTargets',
    schema: csv(z.string().check(z.regex(/^[\w.:/*+-]{1,300}$/))),
    expected: 'comma-separated targets such as lambda:api:live or codedeploy:app/group (* wildcards)',
    default: '',
  },
  WARDEN_ROLLBACK_ALARM_PREFIX: {
    key: 'rollbackAlarmPrefix',
    schema: z.optional(z.string().check(z.regex(/^[\w.\-/:#]{1,200}$/))),
    expected: 'an alarm name prefix',
  },
  WARDEN_ROLLBACK_COOLDOWN_MINUTES: {
    key: 'rollbackCooldownMinutes',
    schema: num(1, 1440),
    expected: 'minutes between 1 and 1440',
    default: '15',
  },
  WARDEN_ROLLBACK_HEALTHY_MINUTES: {
    key: 'rollbackHealthyMinutes',
    schema: num(1, 10080),
    expected: 'minutes between 1 and 10080',
    default: '30',
  },
} as const satisfies Record<string, VarSpec>;

type Spec = typeof ENV_SPEC;
export type Config = { readonly [K in keyof Spec as Spec[K]['key']]: z.infer<Spec[K]['schema']> } & {
  readonly flagsPath: string;
  readonly workQueuePrefix: string;
};

function shown(raw: string | undefined, secret: boolean): string {
  if (raw === undefined) return 'nothing (unset)';
  if (secret) return `a value of ${raw.length} characters (redacted)`;
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

/**
 * Parses and validates the environment once. Every problem is collected and raised as one ConfigError.
 * `require` names optional keys this caller cannot run without (a handler's queue URL, say).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  options: { require?: readonly (keyof Config)[] } = {},
): Config {
  const out: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [name, spec] of Object.entries(ENV_SPEC) as [string, VarSpec][]) {
    const given = env[name];
    const raw = given === undefined || given === '' ? spec.default : given;
    const result = spec.schema.safeParse(raw);
    if (result.success) out[spec.key] = result.data;
    else {
      const issue = result.error.issues[0];
      const expected = raw === undefined ? `${spec.expected} (required)` : spec.expected;
      problems.push({
        field: name,
        expected:
          issue && raw !== undefined && issue.code === 'invalid_value' ? describeExpected(issue) : expected,
        found: shown(given, spec.secret === true),
      });
    }
  }
  for (const key of options.require ?? []) {
    if (out[key] === undefined && !problems.some((p) => ENV_SPEC[p.field as keyof Spec]?.key === key)) {
      const [name, spec] = Object.entries(ENV_SPEC).find(([, s]) => s.key === key) ?? [
        String(key),
        { expected: 'a value' },
      ];
      problems.push({
        field: name,
        expected: `${spec.expected} (required by this function)`,
        found: 'nothing (unset)',
      });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  out.flagsPath ??= `/warden/${String(out.stage)}/flags`;
  out.workQueuePrefix ??= `warden-${String(out.stage)}-work-`;
  return Object.freeze(out) as Config;
}
