/** The kinds of protected resources backupVerify covers; `--kind` takes these names. */
export const KIND_NAMES = ['rds', 'dynamodb', 'elasticache', 's3', 'backup'] as const;
export type KindName = (typeof KIND_NAMES)[number];

/** The ARN service of each kind's resources: AWS Backup's rows leave those to their kind (`backup`: every other). */
export const ARN_SERVICES: Readonly<Record<Exclude<KindName, 'backup'>, string>> = {
  rds: 'rds',
  dynamodb: 'dynamodb',
  elasticache: 'elasticache',
  s3: 's3',
};
