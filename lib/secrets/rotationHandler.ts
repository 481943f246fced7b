import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createClient } from '../aws/clients.js';
import { createContainer } from '../runtime/container.js';
import { middyfy } from '../runtime/middyfy.js';
import { createMetrics } from '../runtime/powertools.js';
import type { Connect } from './database.js';
import { passwordPolicyFrom, ROTATION_EVENT_NAME, rotationEventSchema } from './event.js';
import { powertoolsLogger } from './logger.js';
import { type RotationDeps, rotateSecretStep } from './rotation.js';

/**
 * A Secrets Manager rotation function for one database driver: one protocol step per invocation; a failure is
 * thrown so the service retries. One function per engine keeps each bundle to its own driver.
 */
export function createRotationHandler(connect: Connect) {
  const { config, now } = createContainer(process.env);
  const metrics = createMetrics('rotateSecret', config.stage);
  const deps: RotationDeps = {
    sm: createClient(SecretsManagerClient, { region: config.region, maxAttempts: config.awsMaxAttempts }),
    connect,
    logger: powertoolsLogger,
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
