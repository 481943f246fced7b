import {
  GetParameterCommand,
  GetParametersByPathCommand,
  ParameterNotFound,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';

/** GetParametersByPath returns at most 10 parameters a page (AWS Systems Manager API Reference). */
export const SSM_MAX_RESULTS = 10;

/** The value of one parameter, `undefined` when it does not exist. */
export async function readParameter(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name }));
    return out.Parameter?.Value;
  } catch (err) {
    if (err instanceof ParameterNotFound) return undefined;
    throw err;
  }
}

/** Name -> value of every parameter directly under `path` (not below), all pages. */
export async function readParametersUnder(ssm: SSMClient, path: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let token: string | undefined;
  do {
    const out = await ssm.send(
      new GetParametersByPathCommand({
        Path: path,
        Recursive: false,
        MaxResults: SSM_MAX_RESULTS,
        NextToken: token,
      }),
    );
    for (const p of out.Parameters ?? []) if (p.Name) found.set(p.Name, p.Value ?? '');
    token = out.NextToken;
  } while (token);
  return found;
}

/** Creates or overwrites a String parameter; returns its new version. */
export async function writeParameter(
  ssm: SSMClient,
  name: string,
  value: string,
): Promise<number | undefined> {
  const out = await ssm.send(
    new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true }),
  );
  return out.Version;
}
