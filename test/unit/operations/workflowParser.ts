import { readdirSync, readFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';

/**
 * The workflows of .github/workflows: validated by GitHub's own parser (@actions/workflow-parser, from the Actions
 * language services: the workflow schema, expressions and the contexts each one may use, the job graph, cron), and
 * read as plain YAML for the project's own assertions. js-yaml comes with osls (it is not a dependency of warden
 * itself), so it is loaded through createRequire.
 */
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

// The parser imports its JSON schema without `with { type: 'json' }`, which Node's ESM loader refuses.
registerHooks({
  load(url, context, nextLoad) {
    if (url.includes('/@actions/workflow-parser/') && url.endsWith('.json'))
      return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
    return nextLoad(url, context);
  },
});
const { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } = await import(
  '@actions/workflow-parser'
);

export type Json = Record<string, unknown>;

export interface Workflow {
  file: string;
  text: string;
  doc: Json;
}

export const WORKFLOW_DIR = new URL('../../../.github/workflows/', import.meta.url);

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every error GitHub's parser finds in a workflow, as `file (Line: l, Col: c): message`; empty when it is valid.
 * Parsing checks the schema and the expressions; the conversion to a workflow template checks the job graph
 * (needs), cron expressions and the trigger configurations.
 */
export async function validateWorkflow(file: string, text: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content: text }, new NoOperationTraceWriter());
  if (parsed.value === undefined) return parsed.context.errors.getErrors().map((e) => e.message);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

/** One workflow text as plain data (throws on invalid YAML: validateWorkflow reports it). */
export function readWorkflow(file: string, text: string): Workflow {
  const doc = yaml.load(text);
  return { file, text, doc: isObject(doc) ? doc : {} };
}

/** Every .yml / .yaml file of .github/workflows. */
export function loadWorkflows(dir: URL = WORKFLOW_DIR): Workflow[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => readWorkflow(file, readFileSync(new URL(file, dir), 'utf8')));
}

/** The project's rule for AWS access (GitHub's schema allows stored keys): OIDC role assumption only. */
export function awsAccessProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  if (/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(wf.text))
    problems.push('stored AWS access keys (use OIDC role-to-assume)');
  for (const id of Object.keys(isObject(wf.doc.jobs) ? wf.doc.jobs : {})) {
    const awsSteps = stepsOf(wf, id).filter((s) =>
      String(s.uses).startsWith('aws-actions/configure-aws-credentials@'),
    );
    if (awsSteps.length === 0) continue;
    const job = (wf.doc.jobs as Json)[id] as Json;
    const perms = isObject(job.permissions)
      ? job.permissions
      : isObject(wf.doc.permissions)
        ? wf.doc.permissions
        : {};
    if (perms['id-token'] !== 'write')
      problems.push(`jobs.${id}: AWS via OIDC needs permissions id-token: write`);
    for (const s of awsSteps) {
      const w = isObject(s.with) ? s.with : {};
      if (typeof w['role-to-assume'] !== 'string')
        problems.push(`jobs.${id}: configure-aws-credentials without role-to-assume`);
    }
  }
  return problems.map((p) => `${wf.file}: ${p}`);
}

/** Every step of a job (empty for reusable-workflow jobs). */
export function stepsOf(wf: Workflow, jobId: string): Json[] {
  const job = isObject(wf.doc.jobs) ? wf.doc.jobs[jobId] : undefined;
  return isObject(job) && Array.isArray(job.steps) ? job.steps.filter(isObject) : [];
}

/** The run scripts of every step of every job, joined: what the workflow executes. */
export function runText(wf: Workflow): string {
  const jobs = isObject(wf.doc.jobs) ? Object.keys(wf.doc.jobs) : [];
  return jobs
    .flatMap((id) => stepsOf(wf, id))
    .map((s) => (typeof s.run === 'string' ? s.run : ''))
    .join('\n');
}
