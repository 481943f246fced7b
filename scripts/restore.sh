#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Restore drill of one database through warden's own drill code. Dry-run unless --apply.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=_common.sh
source "$here/_common.sh"

usage() {
  cat <<USAGE
usage: scripts/restore.sh <db-identifier> --config <drill.json> [--queue-url <url>] [--account <id>]
                          [--region <region>] [--stage <s>] [--apply]

Runs: npx warden backup drill <db> --config <drill.json> [--queue-url <url>] [--apply]
  without --apply: warden's dry-run, which only picks the snapshot and names the temporary instance;
  with --apply: restores the newest available snapshot into a temporary wd-<db>-<time> instance, runs the
  validation queries of <drill.json>, measures the RTO and always deletes the instance again;
  with --queue-url <DrillsQueueUrl>: hands the drill to the restoreDrill function instead of this shell.
The config file is the drill options (schema drillOptionsSchema; example: examples/backup/drill.json) and
must name <db>. Restoring a database for real: docs/operations/incident-response.md (Restoring a database).
Options:
  --config <file>    drill options (required)
  --queue-url <url>  run the drill in Lambda through the drills queue
  --account <id>     target account (through WardenExecutionRole)
  --region <r>       region of the database
  --stage <s>        warden stage (default: dev)
  --apply            really restore (and clean up)
  -h, --help         this help
Exit codes: 0 ok (drill passed or planned), 1 the drill failed, 2 usage, 3 missing tool or credentials.
USAGE
}

db=''
config=''
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config) need_value "$1" $#; config="$2"; shift 2 ;;
    --queue-url) need_value "$1" $#; extra+=(--queue-url "$2"); shift 2 ;;
    --account) need_value "$1" $#; extra+=(--account "$2"); shift 2 ;;
    --region) need_value "$1" $#; extra+=(--region "$2"); shift 2 ;;
    --stage) need_value "$1" $#; valid_stage "$2"; extra+=(--stage "$2"); shift 2 ;;
    --apply) APPLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage_error "unknown argument: $1" ;;
    *) take_db "$1"; shift ;;
  esac
done
require_db
[[ -n "$config" ]] || usage_error '--config <drill.json> is required'
[[ -f "$config" ]] || usage_error "--config: no such file: $config"
config="$(cd "$(dirname "$config")" && pwd)/${config##*/}"

cd "$WARDEN_ROOT"
require_node
require_aws_credentials

if [[ $APPLY -eq 1 ]]; then
  run_read npx warden backup drill "$db" --config "$config" "${extra[@]}" --apply || fail "restore drill of $db failed"
else
  run_read npx warden backup drill "$db" --config "$config" "${extra[@]}" || fail "restore drill dry-run of $db failed"
  printf 'dry-run: nothing was restored (add --apply)\n'
fi
