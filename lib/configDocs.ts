import type { ENV_SPEC } from './config.js';

/** What each variable is for: kept out of lib/config.ts so the words stay out of every Lambda bundle. */
export const ENV_DOCS: Record<keyof typeof ENV_SPEC, string> = {
  WARDEN_STAGE: 'Deployment stage.',
  AWS_REGION: 'Home region (set by Lambda).',
  WARDEN_HOME_ACCOUNT:
    'Account warden is deployed in (set from AWS::AccountId; looked up with STS when unset).',
  WARDEN_TARGET_ACCOUNTS: 'Accounts to automate; empty = the home account only.',
  WARDEN_TARGET_REGIONS: 'Regions to automate; empty = the home region only.',
  WARDEN_TARGET_SOURCE:
    'Where target accounts come from: explicit (WARDEN_TARGET_ACCOUNTS) or organizations (ACTIVE accounts of AWS Organizations).',
  WARDEN_ORG_TARGET_MODE:
    'With organizations: merge (explicit accounts too) or replace (the organization accounts only).',
  WARDEN_ORG_UNITS:
    'With organizations: roots or OUs to take accounts from, nested OUs included; empty = the whole organization.',
  WARDEN_ORG_INCLUDE_TAGS:
    'With organizations: keep only accounts carrying one of these tags; empty = every account.',
  WARDEN_ORG_EXCLUDE_TAGS: 'With organizations: drop accounts carrying any of these tags.',
  WARDEN_EXECUTION_ROLE_NAME: 'Role assumed in every non-home target account.',
  WARDEN_EXTERNAL_ID: 'ExternalId required by the member-account role.',
  WARDEN_DRY_RUN: 'Default dry-run for every automation (a flag in SSM overrides it).',
  WARDEN_FLAGS_PATH: 'SSM path of the per-automation flags; default /warden/<stage>/flags.',
  WARDEN_FLAGS_MAX_AGE_SECONDS: 'How long a flag read from SSM is cached.',
  WARDEN_AWS_MAX_ATTEMPTS: 'Adaptive retry attempts per AWS call.',
  WARDEN_RPO_HOURS: 'Default recovery point objective.',
  WARDEN_DAILY_BUDGET_USD: 'Daily spend limit.',
  WARDEN_MONTHLY_BUDGET_USD: 'Monthly budget for the month-end projection.',
  WARDEN_FINDINGS_QUEUE_URL:
    'Queue findings are published to: its URL, or its name (looked up once with GetQueueUrl).',
  WARDEN_WORK_QUEUE_PREFIX:
    'Work queues are <prefix><automation> (and <prefix><automation>-<part> for a split automation); default warden-<stage>-work-.',
  WARDEN_MAX_RECEIVES: 'Receives before a work unit goes to its DLQ (matches the redrive policy).',
  WARDEN_ALERTS_TOPIC_ARN:
    "Topic notifications are sent to: its ARN, or its name in the function's own account and region.",
  WARDEN_STATE_TABLE: 'Table for suppression, idempotency and rollback state.',
  WARDEN_SLACK_SECRET_ARN: 'Secret holding the Slack incoming webhook URL (optional).',
  WARDEN_SECURITY_HUB:
    "Also import every notified finding into AWS Security Hub (ASFF, the account's default integration).",
  WARDEN_PAGERDUTY_SECRET_ARN:
    'Secret holding the PagerDuty Events API v2 routing key (optional; unset: no PagerDuty).',
  WARDEN_PAGERDUTY_MIN_SEVERITY:
    'Lowest severity that triggers a PagerDuty incident (resolves are always sent).',
  WARDEN_PAGERDUTY_URL: 'PagerDuty Events API v2 endpoint.',
  WARDEN_SUPPRESSION_HOURS: 'A finding is not re-notified within this window.',
  WARDEN_RUNBOOK_URL: 'Base URL of the runbooks linked from notifications.',
  WARDEN_ROTATION_PASSWORD_LENGTH: 'Length of the passwords rotateSecret asks GetRandomPassword for.',
  WARDEN_ROTATION_EXCLUDE_CHARACTERS:
    'Characters excluded from generated passwords (the default keeps connection strings intact).',
  WARDEN_ROLLBACK_TARGETS: 'Allow-list of what autoRollback may roll back; empty = nothing.',
  WARDEN_ROLLBACK_ALARM_PREFIX:
    'Alarms whose name starts with this opt in to autoRollback without the warden:rollback-target tag.',
  WARDEN_ROLLBACK_COOLDOWN_MINUTES:
    'At most one rollback per target within this window (against flapping alarms).',
  WARDEN_ROLLBACK_HEALTHY_MINUTES:
    'Time a version must stay healthy on its alias before it counts as last known good.',
};
