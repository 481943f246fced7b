import { GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Queue URL by name, asked of SQS once per container (works with any endpoint, LocalStack included). */
export function queueUrlResolver(sqs: SQSClient): (name: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (name) => {
    let url = cache.get(name);
    if (!url) {
      url = sqs.send(new GetQueueUrlCommand({ QueueName: name })).then((r) => r.QueueUrl!);
      url.catch(() => cache.delete(name));
      cache.set(name, url);
    }
    return url;
  };
}
