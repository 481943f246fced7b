#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# On-demand snapshot of one RDS instance or Aurora cluster, with warden's view of its backups before and after.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=_common.sh
source "$here/_common.sh"

usage() {
  cat <<USAGE
usage: scripts/backup.sh <db-identifier> [--cluster] [--dr-region <region>] [--region <region>] [--stage <s>]
                         [--wait] [--apply]

  1. npx warden backup snapshots <db> [--dr-region R]   its snapshots, their age, encryption and DR copy (read-only)
  2. with --apply: aws rds create-db-snapshot (or create-db-cluster-snapshot with --cluster) named
     warden-ondemand-<db>-<yyyymmddHHMM>, tagged warden:source=<db> and warden:on-demand=true
  3. with --wait: aws rds wait db-snapshot-available (or db-cluster-snapshot-available), then step 1 again

Run it with credentials of the account that holds the database. The snapshot is not tagged warden:managed, so
warden never prunes it: delete it when it is no longer needed (backupVerify's manual-retention check lists it).
Options:
  --cluster          the identifier is an Aurora cluster
  --dr-region <r>    also show the DR copies in this region
  --region <r>       region of the database (default: your AWS config)
  --stage <s>        warden stage whose settings the CLI uses (default: dev)
  --wait             wait until the snapshot is available
  --apply            really create the snapshot
  -h, --help         this help
Exit codes: 0 ok, 1 a step failed, 2 usage, 3 missing tool or credentials.
USAGE
}

db=''
cluster=0
wait=0
dr=()
region=()
stage=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) cluster=1; shift ;;
    --dr-region) need_value "$1" $#; dr=(--dr-region "$2"); shift 2 ;;
    --region) need_value "$1" $#; region=(--region "$2"); shift 2 ;;
    --stage) need_value "$1" $#; valid_stage "$2"; stage=(--stage "$2"); shift 2 ;;
    --wait) wait=1; shift ;;
    --apply) APPLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown argument: $1" ;;
    *) take_db "$1"; shift ;;
  esac
done
require_db
[[ "$db" =~ ^[A-Za-z][A-Za-z0-9-]{0,62}$ ]] || usage_error "not an RDS identifier: '$db'"

cd "$WARDEN_ROOT"
require_node
require_aws_credentials

run_read npx warden backup snapshots "$db" "${dr[@]}" "${stage[@]}" "${region[@]}" ||
  fail "cannot list the snapshots of $db"

snapshot="warden-ondemand-$db-$(date -u +%Y%m%d%H%M)"
tags=(--tags "Key=warden:source,Value=$db" "Key=warden:on-demand,Value=true")
if [[ $cluster -eq 1 ]]; then
  run_change aws rds create-db-cluster-snapshot --db-cluster-identifier "$db" \
    --db-cluster-snapshot-identifier "$snapshot" "${tags[@]}" "${region[@]}" || fail "snapshot of $db failed"
  waiter=(aws rds wait db-cluster-snapshot-available --db-cluster-snapshot-identifier "$snapshot" "${region[@]}")
else
  run_change aws rds create-db-snapshot --db-instance-identifier "$db" \
    --db-snapshot-identifier "$snapshot" "${tags[@]}" "${region[@]}" || fail "snapshot of $db failed"
  waiter=(aws rds wait db-snapshot-available --db-snapshot-identifier "$snapshot" "${region[@]}")
fi

if [[ $APPLY -eq 0 ]]; then
  printf 'dry-run: no snapshot was created (add --apply)\n'
elif [[ $wait -eq 1 ]]; then
  run_read "${waiter[@]}" || fail "snapshot $snapshot did not become available"
  run_read npx warden backup snapshots "$db" "${dr[@]}" "${stage[@]}" "${region[@]}"
else
  printf 'snapshot %s is being created; follow it with: %s\n' "$snapshot" "${waiter[*]}"
fi
