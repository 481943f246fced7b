import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import type { LoggerLike } from '../automations/types.js';
import { logger } from '../runtime/powertools.js';

/**
 * Powertools' logger behind the LoggerLike contract. (lib/rollback/runtime.ts has the same adapter: the lead may
 * lift one into lib/runtime/ and point both at it.)
 */
export const powertoolsLogger: LoggerLike = {
  debug: (m, ...e) => logger.debug(m, ...(e as LogAttributes[])),
  info: (m, ...e) => logger.info(m, ...(e as LogAttributes[])),
  warn: (m, ...e) => logger.warn(m, ...(e as LogAttributes[])),
  error: (m, ...e) => logger.error(m, ...(e as LogAttributes[])),
};
