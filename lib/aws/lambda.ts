import {
  GetAliasCommand,
  type LambdaClient,
  ListVersionsByFunctionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';

/** An alias as warden sees it: its version and any weighted (canary) routing. */
export interface AliasState {
  functionName: string;
  alias: string;
  arn: string;
  version: string;
  /** version -> weight (0..1) of the additional version, when traffic is split. */
  weights: Record<string, number>;
  revisionId: string | undefined;
}

export async function getAlias(
  lambda: LambdaClient,
  functionName: string,
  alias: string,
): Promise<AliasState> {
  const out = await lambda.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }));
  return {
    functionName,
    alias,
    arn: out.AliasArn ?? '',
    version: out.FunctionVersion ?? '$LATEST',
    weights: { ...(out.RoutingConfig?.AdditionalVersionWeights ?? {}) },
    revisionId: out.RevisionId,
  };
}

/** Published version numbers of a function, ascending ($LATEST left out). */
export async function listPublishedVersions(lambda: LambdaClient, functionName: string): Promise<number[]> {
  const versions: number[] = [];
  let marker: string | undefined;
  do {
    const out = await lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: functionName, Marker: marker, MaxItems: 50 }),
    );
    for (const v of out.Versions ?? []) {
      const n = Number(v.Version);
      if (Number.isInteger(n)) versions.push(n);
    }
    marker = out.NextMarker;
  } while (marker);
  return versions.sort((a, b) => a - b);
}

/**
 * Points the alias at `version` and removes any weighted routing. `revisionId` makes the update fail
 * (PreconditionFailedException) when someone changed the alias since it was read.
 */
export async function pointAlias(
  lambda: LambdaClient,
  target: { functionName: string; alias: string; version: string; revisionId?: string | undefined },
): Promise<void> {
  await lambda.send(
    new UpdateAliasCommand({
      FunctionName: target.functionName,
      Name: target.alias,
      FunctionVersion: target.version,
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: target.revisionId,
    }),
  );
}
