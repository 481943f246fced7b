import { createValidatorHandler } from '../lib/backup/drill/validatorHandler.js';
import { connectPostgres } from '../lib/secrets/driverPostgres.js';

/** Runs a restore drill's validation queries on a restored PostgreSQL database (invoked by restoreDrill). */
export const handler = createValidatorHandler('postgres', connectPostgres);
