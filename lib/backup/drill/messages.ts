import * as z from 'zod/mini';

const ident = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}(\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/));
const dbId = z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/));
const arn = z.string().check(z.regex(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/));

/** One validation query: a table's row count above a floor, or its newest timestamp within the RPO. */
export const validationCheckSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rowCount'), table: ident, min: z.int().check(z.minimum(0)) }),
  z.strictObject({
    kind: z.literal('freshness'),
    table: ident,
    column: ident,
    /** Defaults to the drill's RPO. */
    maxAgeHours: z.optional(z.number().check(z.positive())),
  }),
]);
export type ValidationCheck = z.infer<typeof validationCheckSchema>;

/** How to validate one restored database. The password comes from `secretArn` (JSON username/password), never from here. */
export const drillDatabaseSchema = z.strictObject({
  database: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/)),
  secretArn: z.optional(arn),
  /** Where the database lives; default the home account and region. */
  account: z.optional(z.string().check(z.regex(/^\d{12}$/))),
  region: z.optional(z.string().check(z.regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/))),
  /** Verify TLS against the trust store (set NODE_EXTRA_CA_CERTS to the RDS CA bundle in Lambda). */
  tls: z._default(z.boolean(), true),
  checks: z.array(validationCheckSchema).check(z.minLength(1)),
});
export type DrillDatabase = z.infer<typeof drillDatabaseSchema>;

export const drillSettingsSchema = z.strictObject({
  subnetGroup: z.string().check(z.regex(/^[\w. -]{1,255}$/)),
  securityGroupIds: z.array(z.string().check(z.regex(/^sg-[0-9a-f]{8,17}$/))).check(z.minLength(1)),
  /** The smallest class the engine allows; a burstable Graviton one by default. */
  instanceClass: z._default(z.string().check(z.regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/)), 'db.t4g.micro'),
  /** Class of the one instance of a restored Aurora cluster (the smallest most Aurora engines allow). */
  clusterInstanceClass: z._default(z.string().check(z.regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/)), 'db.t4g.medium'),
  rtoHours: z._default(z.number().check(z.positive(), z.maximum(168)), 4),
  rpoHours: z._default(z.number().check(z.positive(), z.maximum(720)), 24),
  /** Delay between polls of the temporary instance (SQS allows at most 900 s). */
  pollSeconds: z._default(z.int().check(z.minimum(0), z.maximum(900)), 60),
  /** A restore or deletion not done within this long fails the drill. */
  maxWaitMinutes: z._default(z.int().check(z.minimum(1), z.maximum(24 * 60)), 180),
});
export type DrillSettings = z.infer<typeof drillSettingsSchema>;

/** Options of a drill run: settings plus the databases to drill and how to validate each. */
export const drillOptionsSchema = z.strictObject({
  ...drillSettingsSchema.shape,
  databases: z.record(dbId, drillDatabaseSchema),
});
export type DrillOptions = z.infer<typeof drillOptionsSchema>;

export const DRILL_STEPS = [
  'restore',
  'waitAvailable',
  'validate',
  'delete',
  'waitDeleted',
  'report',
] as const;
export type DrillStep = (typeof DRILL_STEPS)[number];

export const checkOutcomeSchema = z.strictObject({
  check: z.string(),
  passed: z.boolean(),
  reason: z.string(),
  value: z.union([z.number(), z.string(), z.null()]),
});
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

const iso = z.iso.datetime();

/** The whole state of a drill travels in its message: any step can be replayed from it. */
export const drillMessageSchema = z.strictObject({
  drillId: z.string().check(z.regex(/^[\w-]{1,80}$/)),
  step: z.enum(DRILL_STEPS),
  target: z.strictObject({ account: z.string().check(z.regex(/^\d{12}$/)), region: z.string() }),
  dbId,
  /** The temporary instance, or for an Aurora drill the temporary cluster (its instance is `<tempId>-i`). */
  tempId: dbId,
  /** What is being drilled; learnt from the snapshot found (instance unless only cluster snapshots exist). */
  kind: z.optional(z.enum(['instance', 'cluster'])),
  engine: z.optional(z.string()),
  startedAt: iso,
  /** When the current step began waiting (restore, deletion). */
  stepStartedAt: iso,
  /** Attempts of the current step that failed (delete is retried). */
  stepAttempts: z.int().check(z.minimum(0)),
  /** Delete requests RDS accepted; bounded, so an instance that never goes away ends as a cleanup failure. */
  deleteRequests: z.optional(z.int().check(z.minimum(0))),
  settings: drillSettingsSchema,
  validation: drillDatabaseSchema,
  dryRun: z.boolean(),
  snapshotId: z.optional(z.string()),
  snapshotCreatedAt: z.optional(iso),
  endpoint: z.optional(z.strictObject({ host: z.string(), port: z.int() })),
  /** SQL dialect of the restored engine, learnt when it became available. */
  dialect: z.optional(z.enum(['postgres', 'mysql'])),
  availableAt: z.optional(iso),
  validatedAt: z.optional(iso),
  outcomes: z.optional(z.array(checkOutcomeSchema)),
  /** Why the drill failed (restore, wait or validation); cleanup still runs. */
  failure: z.optional(z.string()),
  cleanupFailure: z.optional(z.string()),
});
export type DrillMessage = z.infer<typeof drillMessageSchema>;
