import type { AlarmSummary, MetricRef, ParsedDashboard } from './inspect.js';
import { widgetMetrics } from './inspect.js';

const COMPARISON: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '>=',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '<=',
};

function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function metricList(metrics: readonly MetricRef[]): string {
  const unique = [...new Set(metrics.map((m) => `${m.namespace} ${m.name}`))];
  return unique.map((m) => `<code>${esc(m)}</code>`).join(', ');
}

function widgetRow(widget: ParsedDashboard['widgets'][number]): string {
  const p = widget.properties;
  if (widget.type === 'text')
    return `<tr class="section"><td colspan="3">${esc(String(p.markdown ?? '').replace(/^## /, ''))}</td></tr>`;
  if (widget.type === 'alarm') {
    const alarms = Array.isArray(p.alarms) ? p.alarms.length : 0;
    return `<tr><td>${esc(p.title)}</td><td>alarm status</td><td>${alarms} alarms</td></tr>`;
  }
  const annotations =
    (p.annotations as { horizontal?: { label: string; value: number }[] } | undefined)?.horizontal ?? [];
  const lines = annotations.map((a) => ` <small>(${esc(a.label)}: ${esc(a.value)})</small>`).join('');
  return `<tr><td>${esc(p.title)}${lines}</td><td>${esc(p.view ?? widget.type)}</td><td>${metricList(widgetMetrics(widget))}</td></tr>`;
}

function alarmRow(a: AlarmSummary): string {
  const op = COMPARISON[a.comparison] ?? a.comparison;
  return `<tr><td><code>${esc(a.name)}</code>${a.condition ? ` <small>(if ${esc(a.condition)})</small>` : ''}<br><small>${esc(a.description)}</small></td><td><code>${esc(a.signal)}</code></td><td>${esc(op)} ${esc(a.threshold)} for ${esc(a.evaluationPeriods)} period(s)</td><td>${esc(a.actions.join(', ') || 'none')}</td></tr>`;
}

/** A standalone HTML page listing each widget with its metrics and each alarm with its threshold and actions. */
export function renderPreview(
  stage: string,
  dashboards: readonly ParsedDashboard[],
  alarms: readonly AlarmSummary[],
): string {
  const boards = dashboards
    .map(
      (d) =>
        `<h2>Dashboard <code>${esc(d.name)}</code> (${d.widgets.length} widgets)</h2>\n<table><tr><th>Widget</th><th>View</th><th>Metrics</th></tr>\n${d.widgets.map(widgetRow).join('\n')}\n</table>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>warden ${esc(stage)}: dashboard and alarms</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:2em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}tr.section td{background:#eef;font-weight:bold}code{font-size:90%}</style>
</head><body>
<h1>warden ${esc(stage)}</h1>
<p>Preview from the packaged template; nothing was deployed.</p>
${boards}
<h2>Alarms (${alarms.length})</h2>
<table><tr><th>Alarm</th><th>Signal</th><th>Threshold</th><th>Actions</th></tr>
${alarms.map(alarmRow).join('\n')}
</table>
</body></html>
`;
}
