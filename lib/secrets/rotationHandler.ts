import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createClient } from '../aws/clients.js';
import { ValidationError } from '../errors.js';
import { createContainer } from '../runtime/container.js';
import { middyfy } from '../runtime/middyfy.js';
import { createMetrics, logger } from '../runtime/powertools.js';
import type { Connect, DbLogin } from './database.js';
import { passwordPolicyFrom, ROTATION_EVENT_NAME, rotationEventSchema } from './event.js';
import { type RotationDeps, rotateSecretStep } from './rotation.js';

/**
 * A Secrets Manager rotation function for one database driver: one protocol step per invocation; a failure is
 * thrown so the service retries. One function per engine keeps each bundle to its own driver.
 */
export function createRotationHandler(engine: DbLogin['engine'], driver: Connect) {
  // A secret of the other engine names the wrong function as its rotator: say so instead of a driver error.
  const connect: Connect = (login) => {
    if (login.engine !== engine) {
      throw new ValidationError('secret', [
        {
          field: 'engine',
          expected: `${engine} (this function rotates ${engine} secrets; set the secret's rotation function to the ${login.engine} one)`,
        },
      ]);
    }
    return driver(login);
  };
  const { config, now } = createContainer(process.env);
  const metrics = createMetrics('rotateSecret', config.stage);
  const deps: RotationDeps = {
    sm: createClient(SecretsManagerClient, { region: config.region, maxAttempts: config.awsMaxAttempts }),
    connect,
    logger,
    password: passwordPolicyFrom(config),
    now,
  };
  return middyfy(
    async (event) => {
      try {
        const result = await rotateSecretStep(deps, {
          step: event.Step,
          secretId: event.SecretId,
          token: event.ClientRequestToken,
        });
        metrics.addMetric('RotationStepsSucceeded', 'Count', 1);
        return result;
      } catch (err) {
        metrics.addMetric('RotationStepsFailed', 'Count', 1);
        throw err;
      }
    },
    { eventName: ROTATION_EVENT_NAME, schema: rotationEventSchema, metrics },
  );
}
