import { createValidatorHandler } from '../lib/backup/drill/validatorHandler.js';
import { connectMysql } from '../lib/secrets/driverMysql.js';

/** Runs a restore drill's validation queries on a restored MySQL or MariaDB database (invoked by restoreDrill). */
export const handler = createValidatorHandler('mysql', connectMysql);
