import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import type { LoggerLike, MetricSink } from '../automations/types.js';
import { createClient } from '../aws/clients.js';
import { cachedSecretString } from '../aws/secretValue.js';
import { defaultProductArn, importFindings, setWorkflowStatus } from '../aws/securityHub.js';
import { snsChannel } from '../aws/sns.js';
import { createStateStore } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Channel, NotifyDeps } from './notify.js';
import { pagerDutyChannel, routingKeyFromSecret } from './pagerDuty.js';
import { securityHubChannel } from './securityHub.js';
import { slackChannel } from './slack.js';
import { notifyStateStore } from './state.js';

/** The Slack secret holds the webhook URL, raw or as JSON `{"url": "..."}`. */
export function webhookUrlFromSecret(value: string | undefined): string {
  const raw = value?.trim() ?? '';
  const url = raw.startsWith('{') ? (JSON.parse(raw) as { url?: unknown }).url : raw;
  if (typeof url !== 'string' || !url.startsWith('https://')) {
    throw new ConfigError([
      {
        field: 'WARDEN_SLACK_SECRET_ARN',
        expected: 'a secret holding an https webhook URL',
        found: 'another value (redacted)',
      },
    ]);
  }
  return url;
}

/**
 * The alerts topic ARN: the configured ARN, or the topic name in the function's own account, region and
 * partition (from its ARN), so the function needs no CloudFormation reference.
 */
export function topicArnFor(topic: string, functionArn: () => string | undefined): () => Promise<string> {
  return async () => {
    if (topic.startsWith('arn:')) return topic;
    const [, partition, , region, account] = functionArn()?.split(':') ?? [];
    if (!partition || !region || !account)
      throw new ConfigError([
        {
          field: 'WARDEN_ALERTS_TOPIC_ARN',
          expected: 'a topic ARN (the function ARN is unknown)',
          found: JSON.stringify(topic),
        },
      ]);
    return `arn:${partition}:sns:${region}:${account}:${topic}`;
  };
}

/** The Security Hub import target: the default product of the function's own account, region and partition. */
export function securityHubTargetFor(functionArn: () => string | undefined) {
  return async () => {
    const [, partition, , region, account] = functionArn()?.split(':') ?? [];
    if (!partition || !region || !account)
      throw new ConfigError([
        {
          field: 'WARDEN_SECURITY_HUB',
          expected: 'a function ARN to import findings under (unknown before the first invocation)',
          found: 'nothing (unset)',
        },
      ]);
    return { productArn: defaultProductArn(partition, region, account), homeAccount: account, partition };
  };
}

/** The optional channels, each only when configured: Slack, Security Hub, PagerDuty. */
function optionalChannels(config: Config, functionArn: () => string | undefined): Channel[] {
  const settings = { region: config.region, maxAttempts: config.awsMaxAttempts };
  const channels: Channel[] = [];
  let secrets: SecretsManagerClient | undefined;
  const sm = () => (secrets ??= createClient(SecretsManagerClient, settings));
  if (config.slackSecretArn) {
    const read = cachedSecretString(sm(), config.slackSecretArn, 300);
    channels.push(slackChannel(async () => webhookUrlFromSecret(await read())));
  }
  if (config.securityHub) {
    const hub = createClient(SecurityHubClient, settings);
    channels.push(
      securityHubChannel({
        api: {
          import: (findings) => importFindings(hub, findings),
          setWorkflow: (findings, status) => setWorkflowStatus(hub, findings, status),
        },
        target: securityHubTargetFor(functionArn),
        runbookUrl: config.runbookUrl,
        now: () => new Date(),
      }),
    );
  }
  if (config.pagerDutySecretArn) {
    const read = cachedSecretString(sm(), config.pagerDutySecretArn, 300);
    channels.push(
      pagerDutyChannel({
        routingKey: async () => routingKeyFromSecret(await read()),
        url: config.pagerDutyUrl,
        minSeverity: config.pagerDutyMinSeverity,
        runbookUrl: config.runbookUrl,
      }),
    );
  }
  return channels;
}

/** Builds notify's dependencies from the validated config (clients are made once per container). */

export function notifyDeps(
  config: Config,
  logger: LoggerLike,
  metrics: MetricSink,
  functionArn: () => string | undefined = () => undefined,
): NotifyDeps {
  const settings = { region: config.region, maxAttempts: config.awsMaxAttempts };
  const channels: Channel[] = [
    snsChannel(createClient(SNSClient, settings), topicArnFor(config.alertsTopicArn!, functionArn)),
    ...optionalChannels(config, functionArn),
  ];
  const windowMs = config.suppressionHours * 3_600_000;
  return {
    store: notifyStateStore(
      {
        store: createStateStore(createClient(DynamoDBClient, settings), () => new Date()),
        table: config.stateTable!,
      },
      Math.max(config.suppressionHours * 3600 * 2, 7 * 86400),
    ),
    channels,
    now: () => Date.now(),
    windowMs,
    runbookUrl: config.runbookUrl,
    logger,
    metrics,
  };
}
