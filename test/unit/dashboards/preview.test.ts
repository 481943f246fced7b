import { describe, expect, it } from 'vitest';
import { applyInfra } from '../../../lib/dashboards/infra.js';
import { alarmsOf, dashboardsOf } from '../../../lib/dashboards/inspect.js';
import { renderPreview } from '../../../lib/dashboards/preview.js';
import { FUNCTIONS, SETTINGS, smallTemplate } from './fixtures.js';

describe('Function: renderPreview', () => {
  it('lists every widget with its metrics and every alarm with threshold and actions, escaped', () => {
    // Prepare
    const t = smallTemplate();
    applyInfra(t, FUNCTIONS, SETTINGS);
    const alarms = alarmsOf(t);
    (alarms[0] as { description: string }).description = '<script>alert(1)</script>';
    (alarms[1] as { comparison: string }).comparison = 'LessThanLowerThreshold';

    // Act
    const html = renderPreview('test', dashboardsOf(t), alarms);

    // Assess
    expect(html).toContain('<h1>warden test</h1>');
    expect(html).toContain('Dashboard <code>warden-test</code>');
    expect(html).toContain('<code>AWS/Lambda Errors</code>');
    expect(html).toContain('<code>warden-test-notify-duration-p95</code>');
    expect(html).toContain('&#62; 24000 for 1 period(s)');
    expect(html).toContain('LessThanLowerThreshold');
    expect(html).toContain('(p95 budget (ms): 600000)');
    expect(html).toContain('alarm status');
    expect(html).toContain('&#60;script&#62;');
    expect(html).not.toContain('<script>');
    expect(html.match(/<tr><td><code>warden-test-/g)).toHaveLength(alarms.length);
  });

  it('shows alarms without actions and conditional alarms', () => {
    // Act
    const html = renderPreview(
      'x',
      [],
      [
        {
          logicalId: 'A',
          name: 'a',
          description: '',
          signal: 's',
          comparison: 'GreaterThanThreshold',
          threshold: 1,
          evaluationPeriods: 1,
          actions: [],
          metrics: [],
          condition: 'IsProd',
        },
      ],
    );

    // Assess
    expect(html).toContain('(if IsProd)');
    expect(html).toContain('<td>none</td>');
  });
});
