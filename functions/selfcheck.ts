import { LambdaClient } from '@aws-sdk/client-lambda';
import * as v from 'valibot';
import { AUTOMATION_NAMES, partsOf, workerFunctionName } from '../lib/automations/catalog.js';
import { createClient } from '../lib/aws/clients.js';
import { invokeJson } from '../lib/aws/lambdaInvoke.js';
import { ExecutionError } from '../lib/errors.js';
import { channelProbes } from '../lib/notify/probes.js';
import { createContainer, createFlags } from '../lib/runtime/container.js';
import { middyfy } from '../lib/runtime/middyfy.js';
import { createMetrics, logger } from '../lib/runtime/powertools.js';
import { organizationsClient, runTargets } from '../lib/runtime/targets.js';
import { strictObject } from '../lib/schemas.js';
import { runSelfcheck } from '../lib/selfcheck/selfcheck.js';

const container = createContainer(process.env);
const { config } = container;
const readFlags = createFlags(config);
const metrics = createMetrics('selfcheck', config.stage);
const lambda = createClient(LambdaClient, { region: config.region, maxAttempts: config.awsMaxAttempts });
const org = organizationsClient(config);
const channels = channelProbes(config);

const schema = strictObject({ automations: v.optional(v.array(v.picklist(AUTOMATION_NAMES))) });

export const handler = middyfy(
  async (event, context) => {
    const homeAccount = await container.homeAccount(context);
    const report = await runSelfcheck({
      config,
      homeAccount,
      resolution: await runTargets(config, homeAccount, container.now, org)(),
      automations: event.automations ?? AUTOMATION_NAMES,
      readFlags,
      // Each worker probes with its own role (the one that needs the permissions), through the deployed alias; an
      // automation split across workers (WORKER_PARTS) probes each part's, and names the ones refused.
      probe: async (name, target) => {
        const workers = partsOf(name).map((part) => workerFunctionName(name, part));
        const results = await Promise.allSettled(
          workers.map((w) => invokeJson(lambda, `warden-${config.stage}-${w}:live`, { probe: target })),
        );
        const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
        if (refused.length === 1) throw refused[0];
        // Each message names its function (invokeJson: "<function>:live failed: ...").
        if (refused.length > 1)
          throw new ExecutionError(
            refused.map((e) => (e instanceof Error ? e.message : String(e))).join('; '),
          );
      },
      channels,
      // restoreDrill tries its reads where drills restore (DR region included), with its own role.
      drills: () => invokeJson(lambda, `warden-${config.stage}-restoreDrill:live`, { probe: 'restoreDrill' }),
      now: container.now,
    });
    metrics.addMetric('SelfcheckProblems', 'Count', report.problems.length);
    logger.info('selfcheck report', { report });
    if (!report.ok) throw new ExecutionError(`selfcheck failed: ${report.problems.join('; ')}`);
    return report;
  },
  { eventName: 'selfcheck request', schema, metrics },
);
