import { describe, expect, it } from 'vitest';
import { addMissingTags, tagsOf } from '../../../lib/dashboards/tags.js';
import type { CfnTemplate } from '../../../lib/dashboards/template.js';

const TAGS = { Service: 'warden', Stage: 'dev', Owner: 'team' };

describe('Function: addMissingTags', () => {
  it('adds the missing tags in list or map form, keeps existing values and skips untaggable types', () => {
    // Prepare
    const t: CfnTemplate = {
      Resources: {
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { Tags: [{ Key: 'Stage', Value: 'custom' }] } },
        Param: { Type: 'AWS::SSM::Parameter', Properties: { Tags: { Owner: 'someone' } } },
        Done: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            Tags: [
              { Key: 'Service', Value: 'warden' },
              { Key: 'Stage', Value: 'dev' },
              { Key: 'Owner', Value: 'x' },
            ],
          },
        },
        DoneParam: { Type: 'AWS::SSM::Parameter', Properties: { Tags: TAGS } },
        Route: { Type: 'AWS::EC2::Route', Properties: {} },
        Bare: { Type: 'AWS::Logs::LogGroup' },
      },
    };

    // Act
    const changed = addMissingTags(t, TAGS);

    // Assess
    expect(changed).toEqual(['Table', 'Param', 'Bare']);
    expect(tagsOf(t.Resources.Table?.Properties)).toEqual({
      Stage: 'custom',
      Service: 'warden',
      Owner: 'team',
    });
    expect(tagsOf(t.Resources.Param?.Properties)).toEqual({
      Owner: 'someone',
      Service: 'warden',
      Stage: 'dev',
    });
    expect(tagsOf(t.Resources.Bare?.Properties)).toEqual(TAGS);
    expect(t.Resources.Route?.Properties).toEqual({});
  });

  it('reads no tags from a resource without them', () => {
    // Assess
    expect(tagsOf(undefined)).toEqual({});
    expect(tagsOf({ Tags: 'x' })).toEqual({});
  });
});
