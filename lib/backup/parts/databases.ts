import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { RDSClient } from '@aws-sdk/client-rds';
import { dynamoDbApi } from '../../aws/dynamodb.js';
import { kmsApi } from '../../aws/kms.js';
import { rdsApi } from '../../aws/rds.js';
import { clientIn } from '../../aws/regional.js';
import { type ApiFactory, pacedFor } from '../apis.js';
import { backupKind } from '../kinds/awsBackup.js';
import { dynamodbKind } from '../kinds/dynamodb.js';
import { rdsKind } from '../kinds/rds.js';
import type { ProtectionApis } from '../kinds/types.js';
import { probe as rdsProbe } from '../rdsAccess.js';
import { backupApis, backupProbe } from './awsBackup.js';
import { type ProbeRead, verifyAutomation } from './part.js';

/** RDS/Aurora (and their DR region), DynamoDB (with KMS for `dynamodbKms: customer`) and AWS Backup. */
export const databaseApis: ApiFactory = (scope) => {
  const { aws, kinds, drRegion, maxAttempts, throttles } = scope;
  const region = aws.target.region;
  const apis: ProtectionApis = backupApis(scope);
  if (kinds.includes('rds')) {
    apis.rds = rdsApi(aws.get(RDSClient), region, pacedFor('rds', throttles));
    if (drRegion)
      apis.drRds = rdsApi(
        clientIn(aws, RDSClient, drRegion, maxAttempts),
        drRegion,
        pacedFor('rds', throttles),
      );
  }
  if (kinds.includes('dynamodb')) {
    apis.dynamodb = dynamoDbApi(aws.get(DynamoDBClient), region, pacedFor('dynamodb', throttles));
    // Only `dynamodbKms: customer` asks who manages a table's key (making the client sends nothing).
    apis.kms = kmsApi(aws.get(KMSClient), pacedFor('kms', throttles));
  }
  return apis;
};

export const databaseProbes: readonly ProbeRead[] = [
  ['rds', rdsProbe],
  ['dynamodb', (aws) => aws.get(DynamoDBClient).send(new ListTablesCommand({ Limit: 1 }))],
  backupProbe,
];

/** backupVerify's first worker: the databases (RDS, Aurora, DynamoDB) and AWS Backup's own rows. */
export const backupVerifyDatabases = verifyAutomation({
  kinds: [rdsKind, dynamodbKind, backupKind],
  apis: databaseApis,
  probes: databaseProbes,
});
