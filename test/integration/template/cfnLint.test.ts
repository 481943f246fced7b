import { describe, expect, it } from 'vitest';
import { lintTemplate } from './cfnLint.js';

describe('Function: lintTemplate', () => {
  it('reports a reference to a missing resource and an unknown property, and accepts the newer ones we declare', () => {
    // Prepare
    const template = {
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true, KeyPolicy: {} } },
        Group: {
          Type: 'AWS::Logs::LogGroup',
          Properties: { RetentionInDays: 7, KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
        },
        Rule: { Type: 'AWS::XRay::SamplingRule', Properties: { SamplingRule: { RuleName: 'r' } } },
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: { KmsMasterKeyId: { Ref: 'MissingKey' }, Colour: 'blue' },
        },
      },
    };

    // Act
    const { crit } = lintTemplate(template);

    // Assess
    expect(crit).toHaveLength(2);
    expect(crit.join('\n')).toContain('MissingKey');
    expect(crit.join('\n')).toContain('Colour is not a valid property of AWS::SQS::Queue');
  });
});
