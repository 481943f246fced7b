import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable } from './table.js';
import { readZip } from './zip.js';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}

/** The logical id a value references; a function's `live` alias (canary releases) stands for the function. */
function ref(v: unknown): string {
  const s = JSON.stringify(v);
  const id = /"(?:Ref|Fn::GetAtt)":\[?"(\w+)"/.exec(s)?.[1] ?? s;
  return id.replace(/AliasLive$/, 'LambdaFunction');
}

/** What fires each function, read from the packaged template: schedules, queues, rules, permissions. */
export function triggersByFunction(resources: Record<string, Resource>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (fn: string, t: string) => out.set(fn, [...(out.get(fn) ?? []), t]);
  for (const r of Object.values(resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::Events::Rule') {
      for (const target of (p.Targets as { Arn: unknown; Input?: string }[]) ?? []) {
        const what = p.ScheduleExpression
          ? `schedule ${String(p.ScheduleExpression)}${target.Input ? ` ${target.Input}` : ''}`
          : `rule ${JSON.stringify(p.EventPattern)}`;
        add(ref(target.Arn), what.length > 110 ? `${what.slice(0, 107)}...` : what);
      }
    } else if (r.Type === 'AWS::Lambda::EventSourceMapping') {
      add(ref(p.FunctionName), `sqs ${ref(p.EventSourceArn)} (batch ${String(p.BatchSize ?? 10)})`);
    } else if (r.Type === 'AWS::Lambda::Permission' && String(p.Principal).startsWith('secretsmanager')) {
      add(ref(p.FunctionName), 'secrets manager rotation');
    }
  }
  return out;
}

/** The `sls package` output as a reader sees it: functions with triggers and bundle sizes, resources by type. */
export function deploymentSummary(packageDir: string): string {
  const template = JSON.parse(
    readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ) as {
    Resources: Record<string, Resource>;
  };
  const resources = template.Resources;
  const triggers = triggersByFunction(resources);
  const zips = new Map(
    readdirSync(packageDir)
      .filter((f) => f.endsWith('.zip'))
      .map((f) => [f, join(packageDir, f)]),
  );
  const rows: string[][] = [];
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const name = String(r.Properties?.FunctionName ?? id);
    const key = /"S3Key":"[^"]*\/([^/"]+\.zip)"/.exec(JSON.stringify(r.Properties?.Code))?.[1];
    const zip = key ? zips.get(key) : undefined;
    const bundle = zip ? [...readZip(zip).values()].reduce((n, b) => n + b.length, 0) : 0;
    const t = triggers.get(id) ?? ['(invoked directly)'];
    rows.push([
      name,
      `${(bundle / 1024).toFixed(0)} KiB`,
      `${zip ? (statSync(zip).size / 1024).toFixed(0) : '?'} KiB`,
      t[0]!,
    ]);
    for (const more of t.slice(1)) rows.push(['', '', '', more]);
  }
  const byType = new Map<string, number>();
  for (const r of Object.values(resources)) byType.set(r.Type, (byType.get(r.Type) ?? 0) + 1);
  return [
    formatTable(['function', 'bundle', 'zip', 'triggers'], rows),
    '',
    formatTable(
      ['resource type', 'count'],
      [...byType].sort((a, b) => b[1] - a[1]).map(([t, n]) => [t, n]),
    ),
    `${Object.keys(resources).length} resources in all`,
  ].join('\n');
}
