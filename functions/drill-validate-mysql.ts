import { createValidatorHandler } from '../lib/backup/drill/validatorHandler.js';
import { connectMysql, loadMysql } from '../lib/secrets/driverMysql.js';

// Every validation connects: the driver loads with the function, not on the first request.
await loadMysql();

/** Runs a restore drill's validation queries on a restored MySQL or MariaDB database (invoked by restoreDrill). */
export const handler = createValidatorHandler('mysql', connectMysql);
