import type { Target } from '../aws/clients.js';

export type RollbackTarget =
  | { kind: 'lambda'; functionName: string; alias: string }
  | { kind: 'codedeploy'; application: string; group: string };

/** Tag an alarm carries to name what it rolls back. */
export const TARGET_TAG = 'warden:rollback-target';

const LAMBDA_SPEC = /^lambda:([A-Za-z0-9_-]{1,140}):((?!\d+$)[A-Za-z0-9_-]{1,128})$/;
const CODEDEPLOY_SPEC = /^codedeploy:([\w.+-]{1,100})\/([\w.+-]{1,100})$/;

/** Parses `lambda:<function>:<alias>` or `codedeploy:<application>/<deployment-group>`; undefined if neither. */
export function parseTargetSpec(spec: string): RollbackTarget | undefined {
  const l = LAMBDA_SPEC.exec(spec.trim());
  if (l) return { kind: 'lambda', functionName: l[1]!, alias: l[2]! };
  const c = CODEDEPLOY_SPEC.exec(spec.trim());
  if (c) return { kind: 'codedeploy', application: c[1]!, group: c[2]! };
  return undefined;
}

/** The canonical spec string: used in the allow-list, state keys and findings. */
export function targetKey(t: RollbackTarget): string {
  return t.kind === 'lambda'
    ? `lambda:${t.functionName}:${t.alias}`
    : `codedeploy:${t.application}/${t.group}`;
}

export function targetArn(t: RollbackTarget, where: Target, partition = 'aws'): string {
  return t.kind === 'lambda'
    ? `arn:${partition}:lambda:${where.region}:${where.account}:function:${t.functionName}:${t.alias}`
    : `arn:${partition}:codedeploy:${where.region}:${where.account}:deploymentgroup:${t.application}/${t.group}`;
}

export type Resolution =
  | { ok: true; target: RollbackTarget; via: 'tag' | 'dimensions' }
  | { ok: false; reason: 'target-invalid' | 'target-unresolved'; message: string };

/**
 * What an alarm rolls back: its `warden:rollback-target` tag, else the Lambda alias named by the metric's
 * `FunctionName` + `Resource` (`<function>:<alias>`) dimensions.
 */
export function resolveTarget(tags: Record<string, string>, dimensions: Record<string, string>): Resolution {
  const tag = tags[TARGET_TAG];
  if (tag !== undefined) {
    const target = parseTargetSpec(tag);
    if (target) return { ok: true, target, via: 'tag' };
    return {
      ok: false,
      reason: 'target-invalid',
      message: `tag ${TARGET_TAG}=${JSON.stringify(tag.slice(0, 200))} is not lambda:<function>:<alias> or codedeploy:<application>/<group>`,
    };
  }
  const fn = dimensions.FunctionName;
  const resource = dimensions.Resource;
  if (fn && resource?.startsWith(`${fn}:`)) {
    const target = parseTargetSpec(`lambda:${resource}`);
    if (target) return { ok: true, target, via: 'dimensions' };
  }
  return {
    ok: false,
    reason: 'target-unresolved',
    message: `alarm has no ${TARGET_TAG} tag and its metric has no FunctionName + Resource (<function>:<alias>) dimensions`,
  };
}

/** True when `key` matches an allow-list entry; `*` matches any run of characters. */
export function isAllowed(key: string, allowList: readonly string[]): boolean {
  return allowList.some((pattern) => {
    const re = new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return re.test(key);
  });
}
