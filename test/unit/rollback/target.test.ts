import { describe, expect, it } from 'vitest';
import {
  isAllowed,
  parseTargetSpec,
  resolveTarget,
  targetArn,
  targetKey,
} from '../../../lib/rollback/target.js';

describe('Function: parseTargetSpec', () => {
  it.each([
    ['lambda:orders-api:live', { kind: 'lambda', functionName: 'orders-api', alias: 'live' }],
    [
      'codedeploy:checkout/checkout-prod',
      { kind: 'codedeploy', application: 'checkout', group: 'checkout-prod' },
    ],
  ])('parses %s', (spec, expected) => {
    // Act
    const target = parseTargetSpec(spec);

    // Assess
    expect(target).toEqual(expected);
    expect(targetKey(target!)).toBe(spec);
  });

  it.each(['lambda:orders', 'lambda:orders:7', 'ecs:svc', 'codedeploy:app', ''])('rejects %j', (spec) => {
    // Act + Assess
    expect(parseTargetSpec(spec)).toBeUndefined();
  });
});

describe('Function: resolveTarget', () => {
  it('prefers the tag over the metric dimensions', () => {
    // Act
    const r = resolveTarget(
      { 'warden:rollback-target': 'codedeploy:a/b' },
      { FunctionName: 'orders', Resource: 'orders:live' },
    );

    // Assess
    expect(r).toEqual({ ok: true, via: 'tag', target: { kind: 'codedeploy', application: 'a', group: 'b' } });
  });

  it('uses FunctionName + Resource when there is no tag', () => {
    // Act
    const r = resolveTarget({}, { FunctionName: 'orders', Resource: 'orders:live', ExecutedVersion: '7' });

    // Assess
    expect(r).toMatchObject({
      ok: true,
      via: 'dimensions',
      target: { functionName: 'orders', alias: 'live' },
    });
  });

  it('does not resolve a metric of a version or of the unqualified function', () => {
    // Act + Assess
    expect(resolveTarget({}, { FunctionName: 'orders', Resource: 'orders:7' })).toMatchObject({ ok: false });
    expect(resolveTarget({}, { FunctionName: 'orders' })).toMatchObject({
      ok: false,
      reason: 'target-unresolved',
    });
  });
});

describe('Function: isAllowed', () => {
  it('matches exact entries and * wildcards only', () => {
    // Act + Assess
    expect(isAllowed('lambda:orders:live', ['lambda:orders:live'])).toBe(true);
    expect(isAllowed('lambda:orders-api:live', ['lambda:orders-*'])).toBe(true);
    expect(isAllowed('codedeploy:app/g.1', ['codedeploy:app/g?1'])).toBe(false);
    expect(isAllowed('lambda:orders:live', [])).toBe(false);
    expect(isAllowed('codedeploy:x/y', ['*'])).toBe(true);
  });

  it('builds ARNs in the target partition', () => {
    // Act
    const arn = targetArn(
      { kind: 'lambda', functionName: 'f', alias: 'a' },
      { account: '1', region: 'cn-north-1' },
      'aws-cn',
    );

    // Assess
    expect(arn).toBe('arn:aws-cn:lambda:cn-north-1:1:function:f:a');
  });
});
