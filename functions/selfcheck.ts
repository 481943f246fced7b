import * as z from 'zod/mini';
import { AUTOMATIONS, getAutomation } from '../lib/automations/registry.js';
import { resolveTargets } from '../lib/automations/targets.js';
import { ExecutionError } from '../lib/errors.js';
import { createContainer, createFlags } from '../lib/runtime/container.js';
import { middyfy } from '../lib/runtime/middyfy.js';
import { createMetrics, logger } from '../lib/runtime/powertools.js';
import { runSelfcheck } from '../lib/selfcheck/selfcheck.js';

const container = createContainer(process.env);
const { config, pool } = container;
const readFlags = createFlags(config);
const metrics = createMetrics('selfcheck', config.stage);

const schema = z.strictObject({ automations: z.optional(z.array(z.string())) });

export const handler = middyfy(
  async (event, context) => {
    const automations = event.automations?.map(getAutomation) ?? AUTOMATIONS;
    const homeAccount = container.homeAccount(context);
    const targets = resolveTargets(config, homeAccount);
    const report = await runSelfcheck({ config, homeAccount, targets, automations, pool, readFlags });
    metrics.addMetric('SelfcheckProblems', 'Count', report.problems.length);
    logger.info('selfcheck report', { report });
    if (!report.ok) {
      throw new ExecutionError(`selfcheck failed: ${report.problems.join('; ')}`);
    }
    return report;
  },
  { eventName: 'selfcheck request', schema, metrics },
);
