import { describe, expect, it } from 'vitest';
import { foldStaticIfs, staticConditions } from '../../../lib/dashboards/foldConditions.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';

const template = (): CfnTemplate => ({
  Conditions: {
    CreateVpc: { 'Fn::Equals': ['false', 'false'] },
    NatPerAz: { 'Fn::Equals': ['1', '2'] },
    NotCreate: { 'Fn::Not': [{ Condition: 'CreateVpc' }] },
    InUsEast: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
  },
  Resources: {
    Sg: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        VpcId: { 'Fn::If': ['CreateVpc', { Ref: 'Vpc' }, ''] },
        Extra: { 'Fn::If': ['NotCreate', 'x', { Ref: 'AWS::NoValue' }] },
        Subnets: [{ 'Fn::If': ['NatPerAz', 'b', { Ref: 'AWS::NoValue' }] }, 'a'],
        Regional: { 'Fn::If': ['InUsEast', 'yes', 'no'] },
      },
    },
  },
  Outputs: { VpcId: { Value: { 'Fn::If': ['CreateVpc', { Ref: 'Vpc' }, ''] } } },
});

describe('Function: staticConditions / foldStaticIfs', () => {
  it('knows the conditions that compare literals, and only those', () => {
    // Act
    const known = staticConditions(template());
    // Assess
    expect(known).toEqual({ CreateVpc: true, NatPerAz: false, NotCreate: false });
  });

  it('replaces Fn::If on known conditions by the branch taken, dropping AWS::NoValue, leaving the rest', () => {
    // Prepare
    const t = template();
    // Act
    const folded = foldStaticIfs(t);
    // Assess
    expect(folded).toBe(4);
    expect(t.Resources.Sg?.Properties).toEqual({
      VpcId: { Ref: 'Vpc' },
      Subnets: ['a'],
      Regional: { 'Fn::If': ['InUsEast', 'yes', 'no'] },
    });
    expect(t.Outputs).toEqual({ VpcId: { Value: { Ref: 'Vpc' } } });
  });
});
