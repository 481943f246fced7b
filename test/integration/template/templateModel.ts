import type { CfnResource, CfnTemplate } from '../../../lib/dashboards/template.js';

/**
 * Evaluates the template's Conditions (after osls has resolved the params, they compare literals), so tests see
 * the resources a stage actually creates.
 */
export function conditionValues(template: CfnTemplate): Record<string, boolean> {
  const defs = (template.Conditions ?? {}) as Record<string, unknown>;
  const values: Record<string, boolean> = {};
  const evaluate = (node: unknown): unknown => {
    if (Array.isArray(node) || node === null || typeof node !== 'object') return node;
    const [fn, arg] = Object.entries(node)[0] ?? [];
    const args = Array.isArray(arg) ? arg : [arg];
    switch (fn) {
      case 'Condition':
        return conditionOf(arg as string);
      case 'Fn::Equals':
        return JSON.stringify(evaluate(args[0])) === JSON.stringify(evaluate(args[1]));
      case 'Fn::Not':
        return !evaluate(args[0]);
      case 'Fn::And':
        return args.every((a) => evaluate(a) === true);
      case 'Fn::Or':
        return args.some((a) => evaluate(a) === true);
      default:
        throw new Error(`condition function ${fn} not supported by the test model`);
    }
  };
  const conditionOf = (name: string): boolean => {
    if (!(name in values)) {
      const v = evaluate(defs[name]);
      if (typeof v !== 'boolean') throw new Error(`condition ${name} does not evaluate to a boolean`);
      values[name] = v;
    }
    return values[name] as boolean;
  };
  for (const name of Object.keys(defs)) conditionOf(name);
  return values;
}

/** Resources whose condition holds (or that have none). */
export function activeResources(template: CfnTemplate): Record<string, CfnResource> {
  const conditions = conditionValues(template);
  return Object.fromEntries(
    Object.entries(template.Resources).filter(([, r]) => !r.Condition || conditions[r.Condition] === true),
  );
}

export function ofType(resources: Record<string, CfnResource>, type: string): [string, CfnResource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** Resolves `Fn::If` with the condition values (for properties that branch on them). */
export function resolveIf(value: unknown, conditions: Record<string, boolean>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveIf(v, conditions));
  if (value === null || typeof value !== 'object') return value;
  if ('Fn::If' in value) {
    const [name, yes, no] = value['Fn::If'] as [string, unknown, unknown];
    return resolveIf(conditions[name] ? yes : no, conditions);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveIf(v, conditions)]));
}

/** True when `value` is `Ref: id` or `Fn::GetAtt: [id, ...]`. */
export function refersTo(value: unknown, id: string): boolean {
  if (value === null || typeof value !== 'object') return false;
  if ('Ref' in value) return value.Ref === id;
  if ('Fn::GetAtt' in value) {
    const att = value['Fn::GetAtt'];
    return Array.isArray(att) ? att[0] === id : typeof att === 'string' && att.split('.')[0] === id;
  }
  return false;
}
