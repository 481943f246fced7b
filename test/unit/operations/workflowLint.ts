import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * A structural linter for GitHub Actions workflows: the shape GitHub requires (triggers, jobs, runners, steps),
 * job references, action references, expressions, and AWS access through OIDC only. js-yaml comes with osls
 * (it is not a dependency of warden itself), so it is loaded through createRequire.
 */
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

export type Json = Record<string, unknown>;

export interface Workflow {
  file: string;
  text: string;
  doc: Json;
  /** The YAML error when the file does not parse. */
  parseError?: string;
}

export const WORKFLOW_DIR = new URL('../../../.github/workflows/', import.meta.url);

const EVENTS = new Set([
  'push',
  'pull_request',
  'pull_request_target',
  'schedule',
  'workflow_dispatch',
  'workflow_call',
  'workflow_run',
  'release',
  'merge_group',
]);
const JOB_KEYS = new Set([
  'name',
  'needs',
  'if',
  'runs-on',
  'environment',
  'permissions',
  'concurrency',
  'outputs',
  'env',
  'defaults',
  'timeout-minutes',
  'strategy',
  'continue-on-error',
  'container',
  'services',
  'steps',
  'uses',
  'with',
  'secrets',
]);
const STEP_KEYS = new Set([
  'id',
  'name',
  'if',
  'uses',
  'run',
  'with',
  'env',
  'shell',
  'working-directory',
  'continue-on-error',
  'timeout-minutes',
]);
const PERMISSION_VALUES = new Set(['read', 'write', 'none']);
const JOB_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** owner/repo[/path]@ref, a local action or workflow (./...), or a docker image. */
const ACTION_REF =
  /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_./-]+)?@[A-Za-z0-9_./-]+|\.\/.+|docker:\/\/.+)$/;
/** Five cron fields, as GitHub's schedule takes them. */
const CRON = /^(\S+\s+){4}\S+$/;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every .yml / .yaml file of .github/workflows, parsed. */
export function loadWorkflows(dir: URL = WORKFLOW_DIR): Workflow[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => parseWorkflow(file, readFileSync(new URL(file, dir), 'utf8')));
}

/** Parses one workflow text; a YAML error is kept for lintWorkflow to report. */
export function parseWorkflow(file: string, text: string): Workflow {
  try {
    const doc = yaml.load(text);
    return { file, text, doc: isObject(doc) ? doc : {} };
  } catch (err) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
    return { file, text, doc: {}, parseError: message };
  }
}

function lintPermissions(where: string, permissions: unknown, problems: string[]): void {
  if (permissions === undefined || permissions === 'read-all' || permissions === 'write-all') return;
  if (!isObject(permissions)) {
    problems.push(`${where}: permissions must be a map or read-all/write-all`);
    return;
  }
  for (const [scope, value] of Object.entries(permissions)) {
    if (!PERMISSION_VALUES.has(String(value))) problems.push(`${where}: permissions.${scope} is '${value}'`);
  }
}

function lintTriggers(doc: Json, problems: string[]): void {
  const on = doc.on;
  const events =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(String) : isObject(on) ? Object.keys(on) : [];
  if (events.length === 0) problems.push('on: no trigger');
  for (const e of events) if (!EVENTS.has(e)) problems.push(`on: unknown or unexpected event '${e}'`);
  if (isObject(on) && on.schedule !== undefined) {
    const entries = Array.isArray(on.schedule) ? on.schedule : [];
    if (entries.length === 0) problems.push('on.schedule: a list of { cron } entries');
    for (const s of entries) {
      if (!isObject(s) || typeof s.cron !== 'string' || !CRON.test(s.cron))
        problems.push(`on.schedule: bad cron ${JSON.stringify(s)}`);
    }
  }
}

function lintStep(where: string, step: unknown, problems: string[]): void {
  if (!isObject(step)) {
    problems.push(`${where}: a step must be a map`);
    return;
  }
  for (const key of Object.keys(step))
    if (!STEP_KEYS.has(key)) problems.push(`${where}: unknown key '${key}'`);
  const hasUses = typeof step.uses === 'string';
  const hasRun = typeof step.run === 'string';
  if (hasUses === hasRun) problems.push(`${where}: exactly one of uses or run`);
  if (hasUses && !ACTION_REF.test(step.uses as string)) problems.push(`${where}: bad action '${step.uses}'`);
  if (hasRun && (step.run as string).trim() === '') problems.push(`${where}: empty run`);
  if (step.with !== undefined && !isObject(step.with)) problems.push(`${where}: with must be a map`);
}

function lintJob(id: string, job: unknown, jobIds: Set<string>, problems: string[]): void {
  const where = `jobs.${id}`;
  if (!JOB_ID.test(id)) problems.push(`${where}: job id must match ${JOB_ID}`);
  if (!isObject(job)) {
    problems.push(`${where}: a job must be a map`);
    return;
  }
  for (const key of Object.keys(job)) if (!JOB_KEYS.has(key)) problems.push(`${where}: unknown key '${key}'`);
  const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
  for (const n of needs) if (!jobIds.has(String(n))) problems.push(`${where}: needs unknown job '${n}'`);
  lintPermissions(where, job.permissions, problems);
  if (typeof job.uses === 'string') {
    if (!ACTION_REF.test(job.uses)) problems.push(`${where}: bad reusable workflow '${job.uses}'`);
    if (job.steps !== undefined || job['runs-on'] !== undefined)
      problems.push(`${where}: a reusable-workflow job has no runs-on or steps`);
    return;
  }
  if (job['runs-on'] === undefined) problems.push(`${where}: runs-on is required`);
  if (!Array.isArray(job.steps) || job.steps.length === 0) {
    problems.push(`${where}: steps must be a non-empty list`);
    return;
  }
  for (const [i, step] of job.steps.entries()) lintStep(`${where}.steps[${i}]`, step, problems);
}

/** Balanced `${{ ... }}` expressions. */
function lintExpressions(text: string, problems: string[]): void {
  const opened = text.split('${{').length - 1;
  const closed = [...text.matchAll(/\$\{\{[^}]*\}\}/g)].length;
  if (opened !== closed) problems.push(`expressions: ${opened} opened, ${closed} closed`);
}

/** The jobs that configure AWS credentials must get them through OIDC role assumption only. */
function lintAwsAccess(wf: Workflow, problems: string[]): void {
  if (/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/.test(wf.text))
    problems.push('aws: stored access keys are not allowed (use OIDC role-to-assume)');
  const jobs = isObject(wf.doc.jobs) ? wf.doc.jobs : {};
  for (const [id, job] of Object.entries(jobs)) {
    if (!isObject(job) || !Array.isArray(job.steps)) continue;
    const awsSteps = job.steps.filter(
      (s): s is Json =>
        isObject(s) &&
        typeof s.uses === 'string' &&
        s.uses.startsWith('aws-actions/configure-aws-credentials@'),
    );
    if (awsSteps.length === 0) continue;
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
      if (typeof w['aws-region'] !== 'string')
        problems.push(`jobs.${id}: configure-aws-credentials without aws-region`);
    }
  }
}

/** Every problem of one workflow; empty when it is valid. */
export function lintWorkflow(wf: Workflow): string[] {
  if (wf.parseError !== undefined) return [`${wf.file}: not valid YAML: ${wf.parseError}`];
  const problems: string[] = [];
  if (typeof wf.doc.name !== 'string') problems.push('name: missing');
  lintTriggers(wf.doc, problems);
  lintPermissions('workflow', wf.doc.permissions, problems);
  const jobs = wf.doc.jobs;
  if (!isObject(jobs) || Object.keys(jobs).length === 0) problems.push('jobs: at least one job');
  else {
    const ids = new Set(Object.keys(jobs));
    for (const [id, job] of Object.entries(jobs)) lintJob(id, job, ids, problems);
  }
  lintExpressions(wf.text, problems);
  lintAwsAccess(wf, problems);
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
