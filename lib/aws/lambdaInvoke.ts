import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ExecutionError } from '../errors.js';

/** Invokes a function synchronously with a JSON payload; a function error becomes an ExecutionError with its message. */
export async function invokeJson(
  lambda: LambdaClient,
  functionName: string,
  payload: unknown,
): Promise<unknown> {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : 'null';
  if (out.FunctionError) {
    let message = text;
    try {
      const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      message = `${parsed.errorType ?? 'Error'}: ${parsed.errorMessage ?? ''}`;
    } catch {}
    throw new ExecutionError(`${functionName} failed: ${message.slice(0, 500)}`);
  }
  return JSON.parse(text) as unknown;
}
