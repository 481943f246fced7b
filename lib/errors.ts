/** Base class of every error warden raises on purpose. Carries structured fields, never secret values. */
export class WardenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WardenError';
  }
}

export interface ConfigProblem {
  /** Environment variable or stage parameter name. */
  field: string;
  expected: string;
  /** What was found, already redacted when the field may hold a secret. */
  found: string;
}

/** Configuration that cannot be used: raised at cold start, before anything runs. */
export class ConfigError extends WardenError {
  readonly problems: readonly ConfigProblem[];
  constructor(problems: readonly ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.field}: expected ${p.expected}, found ${p.found}`);
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface ValidationIssue {
  field: string;
  expected: string;
}

/** Input (an event, a message, CLI arguments) that does not have the expected shape. Caller's fault: never retried. */
export class ValidationError extends WardenError {
  readonly field: string;
  readonly expected: string;
  readonly issues: readonly ValidationIssue[];
  constructor(what: string, issues: readonly ValidationIssue[]) {
    const first = issues[0] ?? { field: '(root)', expected: 'a valid value' };
    const rest =
      issues.length > 1
        ? ` (and ${issues.length - 1} more: ${issues
            .slice(1, 4)
            .map((i) => i.field)
            .join(', ')})`
        : '';
    super(`invalid ${what}: ${first.field}: expected ${first.expected}${rest}`);
    this.name = 'ValidationError';
    this.field = first.field;
    this.expected = first.expected;
    this.issues = issues;
  }
}

/** A failure while doing the work: an AWS call, a database, a target that cannot be reached. */
export class ExecutionError extends WardenError {
  readonly resourceArn: string | undefined;
  constructor(message: string, options?: { cause?: unknown; resourceArn?: string }) {
    super(message, options);
    this.name = 'ExecutionError';
    this.resourceArn = options?.resourceArn;
  }
}

/** The execution role of a target account could not be assumed. */
export class AssumeRoleError extends ExecutionError {
  readonly account: string;
  readonly roleArn: string;
  constructor(account: string, roleArn: string, options?: { cause?: unknown }) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.name}: ${options.cause.message}` : '';
    super(`cannot assume ${roleArn} in account ${account}${reason}`, { ...options, resourceArn: roleArn });
    this.name = 'AssumeRoleError';
    this.account = account;
    this.roleArn = roleArn;
  }
}

/**
 * Whether a trigger's retry can help: never for a configuration or input that is wrong (the same event meets the
 * same configuration again); otherwise yes (throttling, a network failure, a database that is down).
 */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof ConfigError || err instanceof ValidationError);
}

/** A short, secret-free description of any thrown value, for findings and logs. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
