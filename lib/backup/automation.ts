import type { Automation } from '../automations/types.js';
import type { ApiFactory } from './apis.js';
import { CATALOG } from './catalog.js';
import type { VerifyOptions } from './options.js';
import { backupVerifyCaches, cacheApis, cacheProbes } from './parts/caches.js';
import { backupVerifyDatabases, databaseApis, databaseProbes } from './parts/databases.js';
import { probeAll, verifyAutomation } from './parts/part.js';
import { backupVerifyS3, s3Apis, s3Probes } from './parts/s3.js';

/** The adapters of every kind: every part's (one AWS Backup adapter, shared). */
const protectionApis: ApiFactory = (scope) => ({
  ...cacheApis(scope),
  ...s3Apis(scope),
  ...databaseApis(scope),
});

const probes = [...databaseProbes, ...s3Probes.filter(([s]) => s !== 'backup'), ...cacheProbes];

/** backupVerify's probe: one cheap read per service it reads, all made (selfcheck names every refusal at once). */
export const protectionProbe = probeAll(probes);

/**
 * backupVerify: every kind at once in the CLI and the demo; in Lambda, its units are split across three workers
 * (lib/backup/parts: the databases and AWS Backup, S3, ElastiCache), each with its own bundle and role.
 */
export const backupVerifyAutomation: Automation<VerifyOptions> = {
  ...verifyAutomation({
    kinds: CATALOG,
    apis: protectionApis,
    probes,
  }),
  workers: [backupVerifyDatabases, backupVerifyS3, backupVerifyCaches],
};
