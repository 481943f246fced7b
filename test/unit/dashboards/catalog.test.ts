import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS_METRICS, isKnownMetric, WARDEN_METRICS } from '../../../lib/dashboards/catalog.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'dashboards' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('Function: isKnownMetric', () => {
  it('knows warden metrics and the AWS metrics of the catalog only', () => {
    // Assess
    expect(isKnownMetric('Warden', 'BackupCompliant')).toBe(true);
    expect(isKnownMetric('Warden', 'RotationFailures')).toBe(false);
    expect(isKnownMetric('AWS/Lambda', 'Duration')).toBe(true);
    expect(isKnownMetric('AWS/SQS', 'ApproximateAgeOfOldestMessage')).toBe(true);
    expect(isKnownMetric('AWS/EC2', 'CPUUtilization')).toBe(false);
    expect(Object.keys(AWS_METRICS)).toEqual(['AWS/Lambda', 'AWS/SQS']);
  });

  it('lists only warden metrics that some automation or handler emits', () => {
    // Prepare: every metric name warden emits appears quoted in lib/ or functions/ (outside lib/dashboards).
    const code = [...sources(join(ROOT, 'lib')), ...sources(join(ROOT, 'functions'))]
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');

    // Act
    const unknown = Object.keys(WARDEN_METRICS).filter((name) => !code.includes(`'${name}'`));

    // Assess
    expect(unknown).toEqual([]);
  });

  it('lists every metric that lib/ adds with a literal name', () => {
    // Prepare
    const code = sources(join(ROOT, 'lib'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');

    // Act
    const added = [...code.matchAll(/metrics\.add\(\s*'([A-Za-z]+)'/g)].map((m) => m[1]!);
    const missing = [...new Set(added)].filter((name) => !(name in WARDEN_METRICS));

    // Assess
    expect(added).toContain('CostAtStakeUsd');
    expect(missing).toEqual([]);
  });
});
