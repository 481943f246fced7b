/** The id that ties this invocation's logs to its cause: EventBridge event id, SQS correlation attribute, rotation token. */
export function correlationIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as Record<string, unknown>;
  const records = e.Records;
  if (Array.isArray(records) && records.length > 0) {
    const first = records[0] as {
      messageAttributes?: Record<string, { stringValue?: string }>;
      messageId?: string;
    };
    return first.messageAttributes?.correlationId?.stringValue ?? first.messageId;
  }
  for (const key of ['correlationId', 'ClientRequestToken', 'id']) {
    const v = e[key];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  return undefined;
}
