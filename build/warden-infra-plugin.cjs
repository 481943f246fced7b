// Completes warden's infrastructure in the compiled template at package time, from the functions and queues that
// are actually in it, so whatever another engineer adds is covered without editing resources/*.yml:
// per-function alarms (errors, throttles, p95 duration over budget), per-queue alarms (DLQ depth, age), the stage
// dashboard body, alarm actions to AlertsTopic, WardenKey on every log group, and Service/Stage/Owner tags.
// The logic lives in lib/dashboards/infra.ts (typed and unit-tested); tsx loads it here.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const PARAM_DEFAULTS = {
  owner: 'platform-team',
  durationBudgetRatio: '0.8',
  durationBudgetsMs: '',
  functionErrorsThreshold: '1',
  queueAgeSecondsThreshold: '900',
  dailyBudgetUsd: '100',
  monthlyBudgetUsd: '2000',
  rpoHours: '24',
  drillRtoBudgetSeconds: '3600',
  lambdaConcurrencyLimit: '1000',
};

class WardenInfraPlugin {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options || {};
    this.hooks = { 'before:aws:package:finalize:saveServiceState': () => this.apply() };
  }

  stage() {
    return this.options.stage || this.serverless.service.provider.stage || 'dev';
  }

  /** A stage param as osls resolves it: --param, then params.<stage>, then params.default. */
  param(name) {
    const cli = (this.serverless.processedInput?.options?.param || [])
      .map((p) => /^([^=]+)=(.*)$/.exec(p))
      .find((m) => m && m[1] === name);
    if (cli) return cli[2];
    const params = this.serverless.configurationInput?.params || {};
    for (const scope of [this.stage(), 'default']) {
      const value = params[scope]?.[name];
      if (value !== undefined && value !== null && !(typeof value === 'string' && value.includes('${')))
        return String(value);
    }
    return PARAM_DEFAULTS[name];
  }

  number(name) {
    const value = Number(this.param(name));
    if (!Number.isFinite(value))
      throw new Error(`warden-infra: param ${name} must be a number, got ${this.param(name)}`);
    return value;
  }

  async apply() {
    const { tsImport } = await import('tsx/esm/api');
    const lib = pathToFileURL(path.join(__dirname, '..', 'lib', 'dashboards', 'infra.ts')).href;
    const { applyInfra, parseBudgets } = await tsImport(lib, __filename);
    const service = this.serverless.service;
    const naming = this.serverless.getProvider('aws').naming;
    const functions = service.getAllFunctions().map((key) => {
      const fn = service.getFunction(key);
      return {
        key,
        logicalPrefix: naming.getNormalizedFunctionName(key),
        name: fn.name,
        timeoutSeconds: Number(fn.timeout || service.provider.timeout || 6),
      };
    });
    const settings = {
      stage: this.stage(),
      owner: this.param('owner'),
      durationBudgetRatio: this.number('durationBudgetRatio'),
      durationBudgetsMs: parseBudgets(this.param('durationBudgetsMs') || ''),
      functionErrorsThreshold: this.number('functionErrorsThreshold'),
      queueAgeSecondsThreshold: this.number('queueAgeSecondsThreshold'),
      dailyBudgetUsd: this.number('dailyBudgetUsd'),
      monthlyBudgetUsd: this.number('monthlyBudgetUsd'),
      rpoHours: this.number('rpoHours'),
      drillRtoBudgetSeconds: this.number('drillRtoBudgetSeconds'),
      concurrencyLimit: this.number('lambdaConcurrencyLimit'),
    };
    const template = service.provider.compiledCloudFormationTemplate;
    const report = applyInfra(template, functions, settings);
    const log = this.serverless.cli;
    log.log(
      `warden-infra: ${report.alarmsAdded.length} alarms generated, ${report.alarmsRouted.length} routed to AlertsTopic, ` +
        `${report.logGroupsEncrypted.length} log groups encrypted, ${report.tagged.length} resources tagged` +
        (report.dashboard ? ', dashboard body written' : '') +
        `, ${report.conditionsFolded} static Fn::If folded`,
    );
    if (report.dataEncrypted.length > 0) {
      log.log(
        `warden-infra: WardenKey set on ${report.dataEncrypted.join(', ')}: reference it in the yml (KmsMasterKeyId: !Ref WardenKey)`,
      );
    }
    for (const warning of report.warnings) log.log(`warden-infra: warning: ${warning}`);
  }
}

module.exports = WardenInfraPlugin;
