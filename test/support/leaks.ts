/** Everything an output holds, as text: errors with message, stack, own fields and causes; the rest as JSON. */
export function everything(output: unknown, seen = new Set<unknown>()): string {
  if (output === null || typeof output !== 'object') return String(output);
  if (seen.has(output)) return '';
  seen.add(output);
  if (output instanceof Error) {
    const fields = Object.entries(output).map(([k, v]) => `${k}=${everything(v, seen)}`);
    return [String(output), output.stack, ...fields, everything(output.cause, seen)].join('\n');
  }
  if (Array.isArray(output)) return output.map((o) => everything(o, seen)).join('\n');
  return Object.entries(output)
    .map(([k, v]) => `${k}=${everything(v, seen)}`)
    .join('\n');
}

/** A password only the test knows: a leak of it can only come from the code under test. */
export function plantedPassword(tag: string): string {
  return `Planted-${tag}-${Math.random().toString(36).slice(2, 10)}`;
}
