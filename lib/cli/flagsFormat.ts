import type { FlagDocument } from '../flags/document.js';
import type { FlagView, TargetMode } from '../flags/view.js';
import { formatTable } from './table.js';
import type { CliContext } from './types.js';

const list = (ids: readonly string[]) => (ids.length > 0 ? ids.join(',') : '-');
const dryRunText = (v: FlagView) => (v.dryRun === null ? 'stage default' : String(v.dryRun));
const sourceText = (v: FlagView) =>
  `${v.source}${v.known ? '' : ' (no automation reads it)'}${v.problem ? `: ${v.problem}` : ''}`;

/** `flags list`: one row per automation (and per unknown parameter under the path). */
export function printFlags(ctx: CliContext, path: string, views: readonly FlagView[]): void {
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ path, flags: views }));
    return;
  }
  const rows = views.map((v) => [
    v.automation,
    String(v.enabled),
    dryRunText(v),
    v.perAccount ? String(v.applyPercent) : 'n/a',
    list(v.allow),
    list(v.deny),
    sourceText(v),
  ]);
  ctx.io.out(
    formatTable(['automation', 'enabled', 'dryRun', 'applyPercent', 'allow', 'deny', 'source'], rows),
  );
  const bad = views.filter((v) => v.problem);
  if (bad.length > 0) ctx.io.out(`${bad.length} flag(s) unusable: those automations run in dry-run`);
}

/** `flags get`: the flag, and with --targets the mode of each configured target account. */
export function printFlag(ctx: CliContext, view: FlagView, targets: readonly TargetMode[] | undefined): void {
  if (ctx.json) {
    ctx.io.out(JSON.stringify({ ...view, ...(targets ? { targets } : {}) }));
    return;
  }
  const rows: [string, string][] = [
    ['parameter', view.parameter],
    ['enabled', String(view.enabled)],
    ['dryRun', dryRunText(view)],
    ['applyPercent', view.perAccount ? String(view.applyPercent) : 'n/a (one mode for all targets)'],
    ['allow', list(view.allow)],
    ['deny', list(view.deny)],
    ['source', sourceText(view)],
  ];
  for (const [k, v] of rows) ctx.io.out(`${k.padEnd(13)} ${v}`);
  if (!targets) return;
  ctx.io.out('');
  ctx.io.out(
    formatTable(
      ['account', 'mode', 'reason'],
      targets.map((t) => [t.account, t.mode, t.reason]),
    ),
  );
  const applied = targets.filter((t) => t.mode !== 'dry-run').length;
  ctx.io.out(`${applied} of ${targets.length} target account(s) outside dry-run`);
}

export interface SetOutcome {
  before: FlagView;
  document: FlagDocument;
  after: FlagView;
  written: boolean;
  unchanged: boolean;
  version: number | undefined;
  maxAgeSeconds: number;
}

/** `flags set`: what was (or, without --apply, would be) written. */
export function printSet(ctx: CliContext, o: SetOutcome): void {
  if (ctx.json) {
    ctx.io.out(
      JSON.stringify({
        automation: o.after.automation,
        parameter: o.after.parameter,
        previous: o.before.document ?? null,
        ...(o.before.problem ? { previousProblem: o.before.problem } : {}),
        document: o.document,
        written: o.written,
        unchanged: o.unchanged,
        ...(o.version === undefined ? {} : { version: o.version }),
        effective: o.after,
      }),
    );
    return;
  }
  if (o.before.problem) ctx.io.out(`the stored value is unusable (${o.before.problem}); it is replaced`);
  ctx.io.out(
    `${o.after.parameter}: ${JSON.stringify(o.before.document ?? null)} -> ${JSON.stringify(o.document)}`,
  );
  if (o.unchanged) ctx.io.out('unchanged: nothing written');
  else if (o.written)
    ctx.io.out(`written (version ${o.version ?? '?'}); takes effect within ${o.maxAgeSeconds} s`);
  else ctx.io.out('dry-run: nothing written; re-run with --apply to write it');
}
