import { describe, expect, it } from 'vitest';
import { regionOfUsageType } from '../../../lib/cost/regions.js';

describe('Function: regionOfUsageType', () => {
  it.each([
    ['Amazon Elastic Compute Cloud - Compute', 'APN1-BoxUsage:m5.large', 'ap-northeast-1'],
    ['EC2 - Other', 'EUW1-NatGateway-Bytes', 'eu-west-1'],
    ['Amazon Relational Database Service', 'USE1-InstanceUsage:db.r6g.large', 'us-east-1'],
    ['AWS Data Transfer', 'USE1-USW2-AWS-Out-Bytes', 'us-east-1'],
    ['Amazon Simple Storage Service', 'APS3-TimedStorage-ByteHrs', 'ap-south-1'],
    ['EC2 - Other', 'NatGateway-Bytes', 'us-east-1'],
    ['Amazon Elastic Compute Cloud - Compute', 'BoxUsage:t3.micro', 'us-east-1'],
    ['Tax', 'Tax', 'global'],
    ['AWS Support (Business)', 'Dollar', 'global'],
    ['Amazon CloudFront', 'EU-Requests-Tier1', 'global'],
    ['Amazon Route 53', 'DNS-Queries', 'global'],
    ['AWS Shield', 'Shield-Monthly-Fee', 'global'],
    ['Amazon Elastic Compute Cloud - Compute', 'XYZ9-BoxUsage:m5.large', 'unknown'],
  ])('%s / %s is in %s', (service, usageType, region) => {
    // Act / Assess
    expect(regionOfUsageType(service, usageType)).toBe(region);
  });
});
