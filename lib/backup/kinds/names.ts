/** The kinds of protected resources backupVerify covers; `--kind` takes these names. */
export const KIND_NAMES = ['rds', 'dynamodb', 'elasticache', 's3', 'backup'] as const;
export type KindName = (typeof KIND_NAMES)[number];
