/** One `key=value` account tag of a filter (the key ends at the first `=`). */
export interface TagPair {
  key: string;
  value: string;
}

/** Parses `key=value` items (already validated by the config schema). */
export function parseTagPairs(items: readonly string[]): TagPair[] {
  return items.map((item) => {
    const at = item.indexOf('=');
    return { key: item.slice(0, at), value: item.slice(at + 1) };
  });
}

export interface TagFilter {
  include: readonly TagPair[];
  exclude: readonly TagPair[];
}

const carries = (tags: Readonly<Record<string, string>>, p: TagPair) => tags[p.key] === p.value;
const shown = (p: TagPair) => `${p.key}=${p.value}`;

/**
 * Why an account with these tags is left out, or undefined when it is kept: any exclude tag drops it; with
 * include tags, it must carry at least one of them.
 */
export function tagVerdict(filter: TagFilter, tags: Readonly<Record<string, string>>): string | undefined {
  const excluded = filter.exclude.find((p) => carries(tags, p));
  if (excluded) return `tag ${shown(excluded)} excluded`;
  if (filter.include.length > 0 && !filter.include.some((p) => carries(tags, p)))
    return `none of the include tags (${filter.include.map(shown).join(', ')})`;
  return undefined;
}
