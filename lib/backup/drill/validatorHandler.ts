import { ValidationError } from '../../errors.js';
import { createContainer } from '../../runtime/container.js';
import { middyfy } from '../../runtime/middyfy.js';
import { createPool } from '../../runtime/pool.js';
import { createMetrics, logger } from '../../runtime/powertools.js';
import type { Connect } from '../../secrets/database.js';
import { secretLogin } from './secretLogin.js';
import type { Dialect } from './validate.js';
import { localValidator, type ValidationRun, validationRequestSchema } from './validator.js';

/**
 * A drill validator function for one database driver: restoreDrill invokes it at a drill's validate step; it
 * logs in with the database's secret (in the database's account), runs the checks and answers with their
 * outcomes, or with why it could not connect. It changes nothing, so a retried invocation is harmless.
 */
export function createValidatorHandler(dialect: Dialect, connect: Connect) {
  const container = createContainer(process.env);
  const { config } = container;
  let home: string | undefined;
  const pool = createPool(config, () => home);
  const metrics = createMetrics('restoreDrill', config.stage);
  const validate = localValidator(secretLogin(pool, connect), logger);
  return middyfy(
    async (event, context): Promise<ValidationRun> => {
      home = await container.homeAccount(context);
      const asked = event.message.dialect ?? 'postgres';
      if (asked !== dialect) {
        throw new ValidationError('drill validation request', [
          { field: 'message.dialect', expected: `${dialect} (this function validates ${dialect} databases)` },
        ]);
      }
      const run = await validate(event.message, new Date(event.now));
      metrics.addMetric('connectError' in run ? 'DrillConnectFailures' : 'DrillValidations', 'Count', 1);
      return run;
    },
    { eventName: 'drill validation request', schema: validationRequestSchema, metrics },
  );
}
