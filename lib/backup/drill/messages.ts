import * as v from 'valibot';
import { int, isoDateTime, number, recordOf, strictObject, variant } from '../../schemas.js';
import { drillTableSchema, tableNameSchema } from './tableOptions.js';

const ident = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/));
const dbId = v.pipe(v.string(), v.regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/));
const arn = v.pipe(v.string(), v.regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/));
export const regionSchema = v.pipe(v.string(), v.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/));
const subnetGroup = v.pipe(v.string(), v.regex(/^[\w. -]{1,255}$/));
const securityGroupIds = v.pipe(v.array(v.pipe(v.string(), v.regex(/^sg-[0-9a-f]{8,17}$/))), v.minLength(1));

/** One validation query: a table's row count above a floor, or its newest timestamp within the RPO. */
export const validationCheckSchema = variant('kind', [
  strictObject({ kind: v.literal('rowCount'), table: ident, min: v.pipe(int, v.minValue(0)) }),
  strictObject({
    kind: v.literal('freshness'),
    table: ident,
    column: ident,
    /** Defaults to the drill's RPO. */
    maxAgeHours: v.optional(v.pipe(number, v.gtValue(0))),
  }),
]);
export type ValidationCheck = v.InferOutput<typeof validationCheckSchema>;

/** How to validate one restored database. The password comes from `secretArn` (JSON username/password), never from here. */
export const drillDatabaseSchema = strictObject({
  database: v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/)),
  secretArn: v.optional(arn),
  /** Where the database lives; default the home account and region. */
  account: v.optional(v.pipe(v.string(), v.regex(/^\d{12}$/))),
  region: v.optional(regionSchema),
  /**
   * `home`: restore the newest snapshot in the database's region; `dr`: restore the newest DR copy in the DR
   * region (settings `dr`), into the DR region's subnet group, and clean up there.
   */
  from: v.optional(v.picklist(['home', 'dr']), 'home'),
  /**
   * `true`: TLS verified against the trust store (in Lambda the RDS CA bundle through NODE_EXTRA_CA_CERTS);
   * `"prefer"`: that, or plaintext when the database offers no TLS (reported in the finding); `false`: plaintext.
   */
  tls: v.optional(v.union([v.boolean(), v.literal('prefer')]), true),
  checks: v.pipe(v.array(validationCheckSchema), v.minLength(1)),
});
export type DrillDatabase = v.InferOutput<typeof drillDatabaseSchema>;

/** Where DR drills restore: the DR region (holding snapshotLifecycle's copies), its subnet group and security groups. */
export const drillDrSchema = strictObject({ region: regionSchema, subnetGroup, securityGroupIds });

export const drillSettingsSchema = strictObject({
  subnetGroup,
  securityGroupIds,
  /** Required when a database is drilled `from: "dr"`. */
  dr: v.optional(drillDrSchema),
  /** The smallest class the engine allows; a burstable Graviton one by default. */
  instanceClass: v.optional(v.pipe(v.string(), v.regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/)), 'db.t4g.micro'),
  /** Class of the one instance of a restored Aurora cluster (the smallest most Aurora engines allow). */
  clusterInstanceClass: v.optional(
    v.pipe(v.string(), v.regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/)),
    'db.t4g.medium',
  ),
  rtoHours: v.optional(v.pipe(number, v.gtValue(0), v.maxValue(168)), 4),
  rpoHours: v.optional(v.pipe(number, v.gtValue(0), v.maxValue(720)), 24),
  /** Delay between polls of the temporary instance (SQS allows at most 900 s). */
  pollSeconds: v.optional(v.pipe(int, v.minValue(0), v.maxValue(900)), 60),
  /** A restore or deletion not done within this long fails the drill. */
  maxWaitMinutes: v.optional(v.pipe(int, v.minValue(1), v.maxValue(24 * 60)), 180),
});
export type DrillSettings = v.InferOutput<typeof drillSettingsSchema>;

/** Options of a drill run: settings plus the databases (and DynamoDB tables) to drill and how to validate each. */
export const drillOptionsSchema = v.pipe(
  strictObject({
    ...drillSettingsSchema.entries,
    databases: recordOf(dbId, drillDatabaseSchema),
    tables: v.optional(recordOf(tableNameSchema, drillTableSchema), {}),
  }),
  v.forward(
    v.check(
      (o) => o.dr !== undefined || Object.values(o.databases).every((d) => d.from !== 'dr'),
      'the DR region, its subnetGroup and securityGroupIds (required when a database is drilled from "dr")',
    ),
    ['dr'],
  ),
);
export type DrillOptions = v.InferOutput<typeof drillOptionsSchema>;

export const DRILL_STEPS = [
  'restore',
  'waitAvailable',
  'validate',
  'delete',
  'waitDeleted',
  'report',
] as const;
export type DrillStep = (typeof DRILL_STEPS)[number];

export const checkOutcomeSchema = strictObject({
  check: v.string(),
  passed: v.boolean(),
  reason: v.string(),
  value: v.union([number, v.string(), v.null()]),
});
export type CheckOutcome = v.InferOutput<typeof checkOutcomeSchema>;

const iso = isoDateTime;

/** The whole state of a drill travels in its message: any step can be replayed from it. */
export const drillMessageSchema = strictObject({
  drillId: v.pipe(v.string(), v.regex(/^[\w-]{1,80}$/)),
  step: v.picklist(DRILL_STEPS),
  target: strictObject({ account: v.pipe(v.string(), v.regex(/^\d{12}$/)), region: v.string() }),
  dbId,
  /** The temporary instance, or for an Aurora drill the temporary cluster (its instance is `<tempId>-i`). */
  tempId: dbId,
  /** Absent for RDS drills (DynamoDB drills carry `service: "dynamodb"`, see tableMessages.ts). */
  service: v.optional(v.literal('rds')),
  /** Where the restore happens when not in the target's region: the DR region of a DR drill. */
  restoreRegion: v.optional(regionSchema),
  /** What is being drilled; learnt from the snapshot found (instance unless only cluster snapshots exist). */
  kind: v.optional(v.picklist(['instance', 'cluster'])),
  engine: v.optional(v.string()),
  startedAt: iso,
  /** When the current step began waiting (restore, deletion). */
  stepStartedAt: iso,
  /** Attempts of the current step that failed (delete is retried). */
  stepAttempts: v.pipe(int, v.minValue(0)),
  /** Delete requests RDS accepted; bounded, so an instance that never goes away ends as a cleanup failure. */
  deleteRequests: v.optional(v.pipe(int, v.minValue(0))),
  settings: drillSettingsSchema,
  validation: drillDatabaseSchema,
  dryRun: v.boolean(),
  /** Why this drill runs dry while its flag applies elsewhere (outside the apply share, deny list). */
  dryRunReason: v.optional(v.string()),
  snapshotId: v.optional(v.string()),
  snapshotCreatedAt: v.optional(iso),
  endpoint: v.optional(strictObject({ host: v.string(), port: int })),
  /** SQL dialect of the restored engine, learnt when it became available. */
  dialect: v.optional(v.picklist(['postgres', 'mysql'])),
  availableAt: v.optional(iso),
  validatedAt: v.optional(iso),
  outcomes: v.optional(v.array(checkOutcomeSchema)),
  /** The validation logged in in plaintext because the database offered no TLS (`tls: "prefer"`). */
  tlsFallback: v.optional(v.boolean()),
  /** Why the drill failed (restore, wait or validation); cleanup still runs. */
  failure: v.optional(v.string()),
  cleanupFailure: v.optional(v.string()),
});
export type DrillMessage = v.InferOutput<typeof drillMessageSchema>;
