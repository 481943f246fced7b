import type { CfnTemplate } from './template.js';

type Value = boolean | string | number | null | undefined;

/**
 * The value of every condition whose definition compares only literals (osls has already put the stage params in),
 * so it is known before deployment. Conditions that depend on anything else (a Ref, the region) are left out.
 */
export function staticConditions(template: CfnTemplate): Record<string, boolean> {
  const defs = (template.Conditions ?? {}) as Record<string, unknown>;
  const known: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const condition = (name: string): boolean | undefined => {
    if (name in known) return known[name];
    if (visiting.has(name) || !(name in defs)) return undefined;
    visiting.add(name);
    const v = evaluate(defs[name]);
    visiting.delete(name);
    if (typeof v === 'boolean') known[name] = v;
    return typeof v === 'boolean' ? v : undefined;
  };
  const evaluate = (node: unknown): Value => {
    if (node === null || typeof node !== 'object') return node as Value;
    if (Array.isArray(node)) return undefined;
    const [fn, arg] = Object.entries(node)[0] ?? [];
    const args = Array.isArray(arg) ? arg : [arg];
    const values = () => args.map(evaluate);
    switch (fn) {
      case 'Condition':
        return condition(String(arg));
      case 'Fn::Equals': {
        const [a, b] = values();
        return a === undefined || b === undefined ? undefined : String(a) === String(b);
      }
      case 'Fn::Not': {
        const [a] = values();
        return typeof a === 'boolean' ? !a : undefined;
      }
      case 'Fn::And': {
        const vs = values();
        return vs.includes(false) ? false : vs.every((v) => v === true) ? true : undefined;
      }
      case 'Fn::Or': {
        const vs = values();
        return vs.includes(true) ? true : vs.every((v) => v === false) ? false : undefined;
      }
      default:
        return undefined;
    }
  };
  for (const name of Object.keys(defs)) condition(name);
  return known;
}

/**
 * Replaces each `Fn::If` on a statically known condition by the branch CloudFormation would take anyway. The
 * template then carries no dead branches, such as the empty "existing VPC" ids of a stage that creates its own VPC,
 * which linters reject. Returns how many were folded.
 */
export function foldStaticIfs(template: CfnTemplate): number {
  const known = staticConditions(template);
  let folded = 0;
  // `Ref: AWS::NoValue` only means "no property" inside Fn::If: a folded one removes its key or element.
  const REMOVE = Symbol('remove');
  const isNoValue = (v: unknown) =>
    typeof v === 'object' && v !== null && (v as { Ref?: unknown }).Ref === 'AWS::NoValue';
  const fold = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(fold).filter((v) => v !== REMOVE);
    if (value === null || typeof value !== 'object') return value;
    const ifArgs = (value as Record<string, unknown>)['Fn::If'];
    if (Array.isArray(ifArgs) && ifArgs.length === 3 && typeof ifArgs[0] === 'string' && ifArgs[0] in known) {
      folded++;
      const branch = known[ifArgs[0]] ? ifArgs[1] : ifArgs[2];
      return isNoValue(branch) ? REMOVE : fold(branch);
    }
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, fold(v)] as const)
        .filter(([, v]) => v !== REMOVE),
    );
  };
  template.Resources = fold(template.Resources) as CfnTemplate['Resources'];
  if (template.Outputs) template.Outputs = fold(template.Outputs) as CfnTemplate['Outputs'];
  return folded;
}
