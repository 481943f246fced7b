import { connectPostgres } from '../lib/secrets/driverPostgres.js';
import { createRotationHandler } from '../lib/secrets/rotationHandler.js';

/** Secrets Manager rotation function for PostgreSQL secrets (single or alternating users). */
export const handler = createRotationHandler('postgres', connectPostgres);
