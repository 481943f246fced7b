import * as v from 'valibot';
import { ConfigError, type ConfigProblem } from './errors.js';
import { coercedNumber } from './schemas.js';
import { problemsOf } from './validation.js';

const csv = <T extends v.GenericSchema>(item: T) =>
  v.pipe(
    v.string(),
    v.transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
    v.check((arr) => arr.every((x) => v.is(item, x))),
  );
const bool = v.pipe(
  v.picklist(['true', 'false', '1', '0', 'yes', 'no']),
  v.transform((s) => s === 'true' || s === '1' || s === 'yes'),
);
const num = (min: number, max: number) => v.pipe(coercedNumber, v.minValue(min), v.maxValue(max));
const pattern = (re: RegExp) => v.pipe(v.string(), v.regex(re));
const accountId = pattern(/^\d{12}$/);
const region = pattern(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/);
const url = pattern(/^https:\/\/\S+$/);
const arn = pattern(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/);
const orgParent = pattern(/^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/);
const tagPair = pattern(/^[\p{L}\p{Z}\p{N}_.:/+@-]{1,128}=[\p{L}\p{Z}\p{N}_.:/=+@-]{0,256}$/u);

interface VarSpec {
  key: string;
  schema: v.GenericSchema;
  expected: string;
  default?: string;
  /** Never echo the value in an error. */
  secret?: boolean;
}

/** Every environment variable warden reads (documented in lib/configDocs.ts, .env.example and the README). */
export const ENV_SPEC = {
  WARDEN_STAGE: {
    key: 'stage',
    schema: v.picklist(['dev', 'staging', 'prod']),
    expected: 'dev, staging or prod',
  },
  AWS_REGION: { key: 'region', schema: region, expected: 'an AWS region such as eu-west-1' },
  WARDEN_HOME_ACCOUNT: {
    key: 'homeAccount',
    schema: v.optional(accountId),
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
  WARDEN_TARGET_SOURCE: {
    key: 'targetSource',
    schema: v.picklist(['explicit', 'organizations']),
    expected: 'explicit or organizations',
    default: 'explicit',
  },
  WARDEN_ORG_TARGET_MODE: {
    key: 'orgTargetMode',
    schema: v.picklist(['merge', 'replace']),
    expected: 'merge or replace',
    default: 'merge',
  },
  WARDEN_ORG_UNITS: {
    key: 'orgUnits',
    schema: csv(orgParent),
    expected: 'comma-separated root or OU ids (r-..., ou-...-...)',
    default: '',
  },
  WARDEN_ORG_INCLUDE_TAGS: {
    key: 'orgIncludeTags',
    schema: csv(tagPair),
    expected: 'comma-separated account tags key=value',
    default: '',
  },
  WARDEN_ORG_EXCLUDE_TAGS: {
    key: 'orgExcludeTags',
    schema: csv(tagPair),
    expected: 'comma-separated account tags key=value',
    default: '',
  },
  WARDEN_EXECUTION_ROLE_NAME: {
    key: 'executionRoleName',
    schema: pattern(/^[\w+=,.@-]{1,64}$/),
    expected: 'an IAM role name',
    default: 'WardenExecutionRole',
  },
  WARDEN_EXTERNAL_ID: {
    key: 'externalId',
    schema: v.optional(pattern(/^[\w+=,.@:/-]{2,1224}$/)),
    expected: 'an STS external id (2-1224 characters)',
    secret: true,
  },
  WARDEN_DRY_RUN: { key: 'dryRun', schema: bool, expected: 'true or false', default: 'true' },
  WARDEN_FLAGS_PATH: {
    key: 'flagsPath',
    schema: v.optional(pattern(/^\/[\w./-]+[^/]$/)),
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
    schema: v.optional(v.union([url, pattern(/^[\w-]{1,80}$/)])),
    expected: 'an https SQS queue URL or a queue name',
  },
  WARDEN_WORK_QUEUE_PREFIX: {
    key: 'workQueuePrefix',
    schema: v.optional(pattern(/^[\w-]{1,60}$/)),
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
    schema: v.optional(v.union([arn, pattern(/^[\w-]{1,256}$/)])),
    expected: 'an SNS topic ARN or a topic name',
  },
  WARDEN_STATE_TABLE: {
    key: 'stateTable',
    schema: v.optional(pattern(/^[\w.-]{3,255}$/)),
    expected: 'a DynamoDB table name',
  },
  WARDEN_SLACK_SECRET_ARN: {
    key: 'slackSecretArn',
    schema: v.optional(arn),
    expected: 'a Secrets Manager secret ARN',
  },
  WARDEN_SECURITY_HUB: {
    key: 'securityHub',
    schema: bool,
    expected: 'true or false',
    default: 'false',
  },
  WARDEN_PAGERDUTY_SECRET_ARN: {
    key: 'pagerDutySecretArn',
    schema: v.optional(arn),
    expected: 'a Secrets Manager secret ARN',
  },
  WARDEN_PAGERDUTY_MIN_SEVERITY: {
    key: 'pagerDutyMinSeverity',
    schema: v.picklist(['info', 'low', 'medium', 'high', 'critical']),
    expected: 'info, low, medium, high or critical',
    default: 'high',
  },
  WARDEN_PAGERDUTY_URL: {
    key: 'pagerDutyUrl',
    // http only to a local endpoint (tests, a relay on the host).
    schema: v.union([url, pattern(/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/\S*$/)]),
    expected: 'an https URL (the Events API v2 enqueue endpoint)',
    default: 'https://events.pagerduty.com/v2/enqueue',
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
    schema: v.string(),
    expected: 'characters',
    default: '/@"\'\\`:;?#[]{}%&=+ ,<>|^~$',
  },
  WARDEN_ROLLBACK_TARGETS: {
    key: 'rollbackTargets',
    schema: csv(pattern(/^[\w.:/*+-]{1,300}$/)),
    expected: 'comma-separated targets such as lambda:api:live or codedeploy:app/group (* wildcards)',
    default: '',
  },
  WARDEN_ROLLBACK_ALARM_PREFIX: {
    key: 'rollbackAlarmPrefix',
    schema: v.optional(pattern(/^[\w.\-/:#]{1,200}$/)),
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
export type Config = { readonly [K in keyof Spec as Spec[K]['key']]: v.InferOutput<Spec[K]['schema']> } & {
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
    const result = v.safeParse(spec.schema, raw);
    if (result.success) out[spec.key] = result.output;
    else {
      const problem = problemsOf(spec.schema, result.issues, raw)[0];
      const expected = raw === undefined ? `${spec.expected} (required)` : spec.expected;
      problems.push({
        field: name,
        expected:
          problem && raw !== undefined && problem.code === 'invalid_value' ? problem.expected : expected,
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
