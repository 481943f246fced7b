import { connectMysql } from '../lib/secrets/driverMysql.js';
import { createRotationHandler } from '../lib/secrets/rotationHandler.js';

/** Secrets Manager rotation function for MySQL and MariaDB secrets (single or alternating users). */
export const handler = createRotationHandler('mysql', connectMysql);
