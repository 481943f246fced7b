import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { LoggerLike, MetricSink } from '../automations/types.js';
import { createClient } from '../aws/clients.js';
import { snsChannel } from '../aws/sns.js';
import { createStateStore } from '../aws/stateStore.js';
import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Channel, NotifyDeps } from './notify.js';
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

/** Builds notify's dependencies from the validated config (clients are made once per container). */
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

export function notifyDeps(
  config: Config,
  logger: LoggerLike,
  metrics: MetricSink,
  functionArn: () => string | undefined = () => undefined,
): NotifyDeps {
  const settings = { region: config.region, maxAttempts: config.awsMaxAttempts };
  const channels: Channel[] = [
    snsChannel(createClient(SNSClient, settings), topicArnFor(config.alertsTopicArn!, functionArn)),
  ];
  const secretArn = config.slackSecretArn;
  if (secretArn) {
    const secrets = new SecretsProvider({ awsSdkV3Client: createClient(SecretsManagerClient, settings) });
    channels.push(
      slackChannel(async () =>
        webhookUrlFromSecret((await secrets.get(secretArn, { maxAge: 300 })) as string | undefined),
      ),
    );
  }
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
