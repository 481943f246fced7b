import { ValidationError } from '../../errors.js';

/** The kinds `warden backup snapshot` can back up (the names backupVerify's `--kind` uses). */
export const SNAPSHOT_KINDS = ['rds', 'dynamodb', 'elasticache'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export interface SnapshotTarget {
  kind: SnapshotKind;
  /** RDS instance or Aurora cluster id, DynamoDB table name, ElastiCache replication group id. */
  name: string;
  /** Set when the resource was given as an ARN. */
  account?: string;
  region?: string;
}

const NAME: Record<SnapshotKind, RegExp> = {
  rds: /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/,
  dynamodb: /^[\w.-]{3,255}$/,
  elasticache: /^[a-zA-Z][a-zA-Z0-9-]{0,39}$/,
};

const bad = (expected: string) =>
  new ValidationError('backup snapshot arguments', [{ field: 'resource', expected }]);

const EXPECTED =
  'an ARN (rds db/cluster, dynamodb table, elasticache replicationgroup/serverlesscache), <kind>:<name> with kind rds, dynamodb or elasticache, or an RDS/Aurora id';

/**
 * `orders-db` (RDS instance or Aurora cluster), `dynamodb:orders`, `elasticache:sessions` (a replication group or a
 * serverless cache), or the resource's ARN.
 * Refused before any AWS call, naming the field.
 */
export function parseSnapshotTarget(spec: string): SnapshotTarget {
  const arn = /^arn:aws[a-z-]*:(rds|dynamodb|elasticache):([a-z0-9-]+):(\d{12}):(.+)$/.exec(spec);
  if (arn) {
    const [, service, region, account, rest = ''] = arn;
    const m =
      service === 'rds'
        ? /^(?:db|cluster):(.+)$/.exec(rest)
        : service === 'dynamodb'
          ? /^table\/([^/]+)$/.exec(rest)
          : /^(?:replicationgroup|serverlesscache):(.+)$/.exec(rest);
    if (!m?.[1]) throw bad(EXPECTED);
    return checked({ kind: service as SnapshotKind, name: m[1], account, region });
  }
  const colon = spec.indexOf(':');
  if (colon < 0) return checked({ kind: 'rds', name: spec });
  const kind = spec.slice(0, colon);
  if (!(SNAPSHOT_KINDS as readonly string[]).includes(kind)) throw bad(EXPECTED);
  return checked({ kind: kind as SnapshotKind, name: spec.slice(colon + 1) });
}

function checked(t: SnapshotTarget): SnapshotTarget {
  if (!NAME[t.kind].test(t.name)) throw bad(`a valid ${t.kind} name (${NAME[t.kind].source})`);
  return t;
}

const stamp = (d: Date) => d.toISOString().slice(0, 16).replace(/[-:T]/g, '');

/**
 * `warden-pre-<name>-<yyyymmddhhmm>`: the warden- prefix IAM allows, and one id per resource and minute, so a
 * retried command finds the snapshot it already asked for instead of taking a second one.
 */
export function preChangeSnapshotId(t: SnapshotTarget, now: Date): string {
  const suffix = `-${stamp(now)}`;
  const max = t.kind === 'elasticache' ? 40 : t.kind === 'dynamodb' ? 255 : 63;
  const base = t.name.slice(0, max - 'warden-pre-'.length - suffix.length).replace(/[-_.]+$/, '');
  return `warden-pre-${base}${suffix}`;
}
