import {
  BatchGetDeploymentsCommand,
  type CodeDeployClient,
  CreateDeploymentCommand,
  type DeploymentStatus,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  ListDeploymentsCommand,
  type RevisionLocation,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';

export const ACTIVE_STATUSES: readonly DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
];

export interface DeploymentSummary {
  id: string;
  status: DeploymentStatus | undefined;
  revision: RevisionLocation | undefined;
  createTime: Date | undefined;
  /** `user`, `autoscaling`, `codeDeployRollback`, ... */
  creator?: string | undefined;
  description?: string | undefined;
}

export interface GroupState {
  lastSuccessfulId: string | undefined;
  lastAttemptedId: string | undefined;
  lastAttemptedStatus: DeploymentStatus | undefined;
}

export async function getGroupState(
  cd: CodeDeployClient,
  application: string,
  group: string,
): Promise<GroupState> {
  const out = await cd.send(
    new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
  );
  const info = out.deploymentGroupInfo;
  return {
    lastSuccessfulId: info?.lastSuccessfulDeployment?.deploymentId,
    lastAttemptedId: info?.lastAttemptedDeployment?.deploymentId,
    lastAttemptedStatus: info?.lastAttemptedDeployment?.status,
  };
}

/** Deployment ids of the group in the given statuses (first page: a group has few deployments in flight). */
export async function listDeploymentIds(
  cd: CodeDeployClient,
  application: string,
  group: string,
  statuses: readonly DeploymentStatus[],
): Promise<string[]> {
  const out = await cd.send(
    new ListDeploymentsCommand({
      applicationName: application,
      deploymentGroupName: group,
      includeOnlyStatuses: [...statuses],
    }),
  );
  return out.deployments ?? [];
}

export async function getDeployment(cd: CodeDeployClient, id: string): Promise<DeploymentSummary> {
  const out = await cd.send(new GetDeploymentCommand({ deploymentId: id }));
  const d = out.deploymentInfo;
  return { id, status: d?.status, revision: d?.revision, createTime: d?.createTime };
}

/** Summaries of up to 25 deployments, newest first. */
export async function describeDeployments(
  cd: CodeDeployClient,
  ids: readonly string[],
): Promise<DeploymentSummary[]> {
  if (ids.length === 0) return [];
  const out = await cd.send(new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(0, 25) }));
  return (out.deploymentsInfo ?? [])
    .map((d) => ({
      id: d.deploymentId ?? '',
      status: d.status,
      revision: d.revision,
      createTime: d.createTime,
      creator: d.creator,
      description: d.description,
    }))
    .sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
}

/** Stops a deployment and lets CodeDeploy roll it back to the previous revision. */
export async function stopWithRollback(cd: CodeDeployClient, id: string): Promise<string | undefined> {
  const out = await cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
  return out.status;
}

/** Starts a deployment of `revision` to the group; returns its id. */
export async function deployRevision(
  cd: CodeDeployClient,
  input: { application: string; group: string; revision: RevisionLocation; description: string },
): Promise<string> {
  const out = await cd.send(
    new CreateDeploymentCommand({
      applicationName: input.application,
      deploymentGroupName: input.group,
      revision: input.revision,
      description: input.description.slice(0, 250),
    }),
  );
  return out.deploymentId ?? '';
}
