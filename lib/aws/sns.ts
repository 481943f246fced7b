import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';

/** The text a notification publishes (a notify Notification has these and more). */
export interface SnsMessage {
  subject: string;
  text: string;
}

/** The message attributes subscriptions filter on (a Finding has these and more). */
export interface SnsRouting {
  severity: string;
  automation: string;
}

/** A channel that publishes to one topic; notify takes it as one of its channels. */
export interface SnsChannel {
  name: 'sns';
  send(n: SnsMessage, f: SnsRouting): Promise<void>;
}

/** The `alerts` topic as a notification channel (e-mail subscriptions per stage). */
export function snsChannel(sns: SNSClient, topicArn: string | (() => Promise<string>)): SnsChannel {
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
