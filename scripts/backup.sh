#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# On-demand backup of one resource (RDS/Aurora, DynamoDB table, ElastiCache cache) through warden, with its view of a
# database's snapshots before and after.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=_common.sh
source "$here/_common.sh"

usage() {
  cat <<USAGE
usage: scripts/backup.sh <resource> [--dr-region <region>] [--region <region>] [--stage <s>] [--wait] [--apply]

  <resource>: an RDS instance or Aurora cluster id, dynamodb:<table>, elasticache:<replication group or serverless
  cache>, or the resource's ARN (what \`warden backup snapshot\` takes).
  1. RDS/Aurora: npx warden backup snapshots <db> [--dr-region R]   its snapshots, age, encryption, DR copy
  2. npx warden backup snapshot <resource> [--wait] [--apply]: an on-demand backup (RDS/Aurora snapshot, DynamoDB
     backup, ElastiCache snapshot) named warden-prechange-<name>-<yyyymmddHHMM>; with --wait, waited for until
     available and verified (encrypted, complete); its id is printed first. Without --apply, only what it would take.
  3. RDS/Aurora with --apply --wait: step 1 again

Run it with credentials of the account that holds the resource. warden never prunes these backups: delete them
when they are no longer needed (backupVerify's manual-retention check lists the RDS ones).
Options:
  --dr-region <r>    also show the DR copies in this region (RDS/Aurora)
  --region <r>       region of the resource (default: your AWS config)
  --stage <s>        warden stage whose settings the CLI uses (default: dev)
  --wait             wait until the backup is available, and verify it
  --apply            really take the backup
  -h, --help         this help
Exit codes: 0 ok, 1 a step failed, 2 usage, 3 missing tool or credentials.
USAGE
}

db=''
wait=0
dr=()
region=()
stage=()
while [[ $# -gt 0 ]]; do
  case "$1" in
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
# An RDS id, <kind>:<name> or an ARN; warden checks the rest before any AWS call.
[[ "$db" =~ ^[A-Za-z0-9:/._-]{1,300}$ ]] || usage_error "not a resource: '$db'"
rds=0
[[ "$db" == *:* ]] || rds=1

cd "$WARDEN_ROOT"
require_node
require_aws_credentials

if [[ $rds -eq 1 ]]; then
  run_read npx warden backup snapshots "$db" "${dr[@]}" "${stage[@]}" "${region[@]}" ||
    fail "cannot list the snapshots of $db"
fi

flags=()
[[ $wait -eq 0 ]] || flags+=(--wait)
run_change npx warden backup snapshot "$db" "${flags[@]}" "${stage[@]}" "${region[@]}" --apply ||
  fail "backup of $db failed"

if [[ $APPLY -eq 0 ]]; then
  printf 'dry-run: no backup was taken (add --apply)\n'
elif [[ $wait -eq 1 && $rds -eq 1 ]]; then
  run_read npx warden backup snapshots "$db" "${dr[@]}" "${stage[@]}" "${region[@]}"
fi
