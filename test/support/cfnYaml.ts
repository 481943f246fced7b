import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CfnTemplate } from '../../lib/dashboards/template.js';

// js-yaml (3.x) comes with osls, not a dependency of warden itself: loaded through createRequire.
const require = createRequire(import.meta.url);
interface YamlType {
  new (tag: string, options: { kind: string; construct: (data: unknown) => unknown }): unknown;
}
const yaml = require('js-yaml') as {
  Type: YamlType;
  DEFAULT_SAFE_SCHEMA: unknown;
  Schema: { create(base: unknown, types: unknown[]): unknown };
  load(text: string, options: { schema: unknown }): unknown;
};

/** CloudFormation's short tags, read as their long form (`!GetAtt A.Arn` -> `{ 'Fn::GetAtt': ['A', 'Arn'] }`). */
const CFN_TAGS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
];
const long = (name: string, d: unknown): unknown => {
  if (name === 'Ref' || name === 'Condition') return { [name]: d };
  return { [`Fn::${name}`]: name === 'GetAtt' && typeof d === 'string' ? d.split('.') : d };
};
const schema = yaml.Schema.create(
  yaml.DEFAULT_SAFE_SCHEMA,
  CFN_TAGS.flatMap((name) =>
    ['scalar', 'sequence', 'mapping'].map(
      (kind) => new yaml.Type(`!${name}`, { kind, construct: (d) => long(name, d) }),
    ),
  ),
);

/** A CloudFormation YAML file of the project (a standalone template, such as the member-account role). */
export function loadCfnYaml(path: URL): CfnTemplate & {
  Parameters?: Record<string, { Type: string; Default?: string }>;
} {
  return yaml.load(readFileSync(path, 'utf8'), { schema }) as never;
}

/**
 * The template as CloudFormation sees it with these parameter values: each `Ref` to a parameter replaced by its
 * value (a CommaDelimitedList as a list), `Fn::Join` and `Fn::Split` over literals done, and a `Fn::Sub` of
 * parameters (and pseudo parameters given in `values`, such as `AWS::Partition`) filled in, so templateModel's
 * conditions and `resolveIf` evaluate it.
 */
export function withParameters<T>(template: T, values: Record<string, string>): T {
  const params =
    (template as { Parameters?: Record<string, { Type: string; Default?: string }> }).Parameters ?? {};
  const parameterValue = (name: string): unknown => {
    const raw = values[name] ?? params[name]?.Default ?? '';
    return params[name]?.Type === 'CommaDelimitedList' ? raw.split(',') : raw;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const o = node as Record<string, unknown>;
    if (typeof o.Ref === 'string' && o.Ref in params) return parameterValue(o.Ref);
    const out = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
    const join = out['Fn::Join'] as [string, unknown] | undefined;
    if (join && Array.isArray(join[1]) && join[1].every((x) => typeof x === 'string')) {
      return (join[1] as string[]).join(join[0]);
    }
    const split = out['Fn::Split'] as [string, unknown] | undefined;
    if (split && typeof split[1] === 'string') return split[1].split(split[0]);
    const text = out['Fn::Sub'];
    if (typeof text === 'string') {
      const names = [...text.matchAll(/\$\{([\w:]+)\}/g)].map((m) => m[1]!);
      if (names.every((n) => n in params || n in values)) {
        return text.replace(/\$\{([\w:]+)\}/g, (_, n: string) => String(parameterValue(n)));
      }
    }
    return out;
  };
  return { ...(template as object), ...(walk(template) as object), Parameters: params } as T;
}
