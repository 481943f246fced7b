import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Channel } from '../notify/notify.js';

/** The `alerts` topic as a notification channel (e-mail subscriptions per stage). */
export function snsChannel(sns: SNSClient, topicArn: string | (() => Promise<string>)): Channel {
  return {
    name: 'sns',
    async send(n, f) {
      await sns.send(
        new PublishCommand({
          TopicArn: typeof topicArn === 'string' ? topicArn : await topicArn(),
          Subject: n.subject,
          Message: n.text,
          MessageAttributes: {
            severity: { DataType: 'String', StringValue: f.severity },
            automation: { DataType: 'String', StringValue: f.automation },
          },
        }),
      );
    },
  };
}
