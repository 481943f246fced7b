/**
 * What a restore drill does in a member account (as its execution role): RDS/Aurora restores into wd-* with the
 * warden:drill tag and their deletion, DynamoDB restores into warden-drill-* tables, their validation and deletion,
 * the sweep's listings, and the validators' login secret. resources/member-account-role.yml grants exactly these
 * (policy warden-restore-drill, scoped by those names and tags); a test keeps the two equal.
 */
export const DRILL_MEMBER_PERMISSIONS = [
  'rds:DescribeDBSnapshots',
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusterSnapshots',
  'rds:DescribeDBClusters',
  'rds:RestoreDBInstanceFromDBSnapshot',
  'rds:RestoreDBClusterFromSnapshot',
  'rds:CreateDBInstance',
  'rds:AddTagsToResource',
  'rds:DeleteDBInstance',
  'rds:DeleteDBCluster',
  'kms:CreateGrant',
  'kms:DescribeKey',
  'kms:Decrypt',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeContinuousBackups',
  'dynamodb:ListTables',
  'dynamodb:RestoreTableToPointInTime',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:TagResource',
  'dynamodb:ListTagsOfResource',
  'dynamodb:DeleteTable',
  'secretsmanager:GetSecretValue',
] as const;
