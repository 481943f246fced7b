import { createValidatorHandler } from '../lib/backup/drill/validatorHandler.js';
import { connectPostgres, loadPostgres } from '../lib/secrets/driverPostgres.js';

// Every validation connects: the driver loads with the function, not on the first request.
await loadPostgres();

/** Runs a restore drill's validation queries on a restored PostgreSQL database (invoked by restoreDrill). */
export const handler = createValidatorHandler('postgres', connectPostgres);
