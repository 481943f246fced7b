import type { Widget } from './body.js';
import {
  ALARM_TYPE,
  type CfnTemplate,
  DASHBOARD_TYPE,
  dashboardBodyText,
  resourcesOfType,
} from './template.js';

/** A metric a widget or an alarm reads. */
export interface MetricRef {
  namespace: string;
  name: string;
}

/** Metrics named by a SEARCH() or a Metrics Insights (SELECT ... FROM) expression; other math names none. */
export function metricsInExpression(expression: string): MetricRef[] {
  const refs: MetricRef[] = [];
  for (const m of expression.matchAll(/SEARCH\('([^']*)'/g)) {
    const query = m[1] ?? '';
    const namespace = /Namespace="([^"]+)"/.exec(query)?.[1] ?? /\{([^,}]+)/.exec(query)?.[1];
    const name = /MetricName="([^"]+)"/.exec(query)?.[1];
    if (namespace && name) refs.push({ namespace, name });
  }
  const select = /SELECT\s+\w+\((\w+)\)\s+FROM\s+(?:SCHEMA\(\s*)?"?([\w/]+)"?/i.exec(expression);
  if (select?.[1] && select[2]) refs.push({ namespace: select[2], name: select[1] });
  return refs;
}

/** Metrics of one dashboard widget: metric rows `[namespace, name, ...]` and expressions. */
export function widgetMetrics(widget: Widget): MetricRef[] {
  const rows = widget.properties.metrics;
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row: unknown[]) => {
    const [first, second] = row;
    if (typeof first === 'string' && typeof second === 'string') return [{ namespace: first, name: second }];
    if (first && typeof first === 'object' && 'expression' in first && typeof first.expression === 'string') {
      return metricsInExpression(first.expression);
    }
    return [];
  });
}

export interface ParsedDashboard {
  logicalId: string;
  name: string;
  /** The whole body, as CloudWatch receives it (with preview values for account-specific parts). */
  body: Record<string, unknown>;
  widgets: Widget[];
}

/** Every dashboard of the template with its body parsed (throws SyntaxError on a body that is not JSON). */
export function dashboardsOf(template: CfnTemplate): ParsedDashboard[] {
  return resourcesOfType(template, DASHBOARD_TYPE).map(([logicalId, r]) => {
    const body = JSON.parse(dashboardBodyText(template, r)) as { widgets?: Widget[] };
    const name = r.Properties?.DashboardName;
    return {
      logicalId,
      name: typeof name === 'string' ? name : logicalId,
      body,
      widgets: body.widgets ?? [],
    };
  });
}

export interface AlarmSummary {
  logicalId: string;
  name: string;
  description: string;
  /** What is compared, e.g. `AWS/Lambda Errors (Sum, 300 s)` or the expression. */
  signal: string;
  comparison: string;
  threshold: unknown;
  evaluationPeriods: unknown;
  actions: string[];
  metrics: MetricRef[];
  condition?: string;
}

function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (action && typeof action === 'object' && 'Ref' in action) return String(action.Ref);
  return JSON.stringify(action);
}

function describeSignal(props: Record<string, unknown>): { signal: string; metrics: MetricRef[] } {
  if (typeof props.MetricName === 'string' && typeof props.Namespace === 'string') {
    const stat = props.ExtendedStatistic ?? props.Statistic;
    return {
      signal: `${props.Namespace} ${props.MetricName} (${String(stat)}, ${String(props.Period)} s)`,
      metrics: [{ namespace: props.Namespace, name: props.MetricName }],
    };
  }
  const queries = Array.isArray(props.Metrics) ? (props.Metrics as Record<string, unknown>[]) : [];
  const metrics: MetricRef[] = [];
  for (const q of queries) {
    const stat = q.MetricStat as { Metric?: { Namespace?: string; MetricName?: string } } | undefined;
    if (stat?.Metric?.Namespace && stat.Metric.MetricName) {
      metrics.push({ namespace: stat.Metric.Namespace, name: stat.Metric.MetricName });
    }
    if (typeof q.Expression === 'string') metrics.push(...metricsInExpression(q.Expression));
  }
  const shown = queries.find((q) => q.ReturnData !== false) ?? queries[0];
  return { signal: String(shown?.Expression ?? shown?.Id ?? 'metric math'), metrics };
}

/** Every alarm of the template, with what it watches, its threshold and its actions. */
export function alarmsOf(template: CfnTemplate): AlarmSummary[] {
  return resourcesOfType(template, ALARM_TYPE).map(([logicalId, r]) => {
    const props = r.Properties ?? {};
    const summary: AlarmSummary = {
      logicalId,
      name: typeof props.AlarmName === 'string' ? props.AlarmName : logicalId,
      description: typeof props.AlarmDescription === 'string' ? props.AlarmDescription : '',
      ...describeSignal(props),
      comparison: String(props.ComparisonOperator ?? ''),
      threshold: props.Threshold,
      evaluationPeriods: props.EvaluationPeriods,
      actions: Array.isArray(props.AlarmActions) ? props.AlarmActions.map(actionName) : [],
    };
    if (r.Condition) summary.condition = r.Condition;
    return summary;
  });
}
