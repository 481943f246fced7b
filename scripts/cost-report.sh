#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The daily cost report (table, or a self-contained HTML page) through warden's CLI. Read-only.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=_common.sh
source "$here/_common.sh"

usage() {
  cat <<USAGE
usage: scripts/cost-report.sh [--days <n>] [--html <file>] [--from <export.json>] [--account <id>] [--stage <s>] [--json]

Runs: npx warden cost report [--days <n>] [--from <export.json>] [--html <file>]
  live from Cost Explorer (AWS credentials needed; every Cost Explorer request costs 0.01 USD), or from a saved
  export with --from (no AWS call). It changes nothing, so it has no --apply.
Reading the report: docs/operations/cost-monitoring.md
Options:
  --days <n>         days in the table (1-365, default 30)
  --html <file>      also write the HTML page with charts
  --from <file>      read a saved Cost Explorer export instead of calling AWS
  --account <id>     target account (through WardenExecutionRole)
  --stage <s>        warden stage whose budgets are used (default: dev)
  --json             one JSON document instead of the table
  -h, --help         this help
Exit codes: 0 ok, 1 the report failed, 2 usage, 3 missing tool or credentials.
USAGE
}

args=()
from=''
while [[ $# -gt 0 ]]; do
  case "$1" in
    --days)
      need_value "$1" $#
      [[ "$2" =~ ^[0-9]+$ && "$2" -ge 1 && "$2" -le 365 ]] || usage_error "--days must be 1-365 (got '$2')"
      args+=(--days "$2")
      shift 2
      ;;
    --html) need_value "$1" $#; args+=(--html "$2"); shift 2 ;;
    --from)
      need_value "$1" $#
      [[ -f "$2" ]] || usage_error "--from: no such file: $2"
      from="$(cd "$(dirname "$2")" && pwd)/${2##*/}"
      args+=(--from "$from")
      shift 2
      ;;
    --account) need_value "$1" $#; args+=(--account "$2"); shift 2 ;;
    --stage) need_value "$1" $#; valid_stage "$2"; args+=(--stage "$2"); shift 2 ;;
    --json) args+=(--json); shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done

html_dir="$PWD"
cd "$WARDEN_ROOT"
require_node
if [[ -z "$from" ]]; then require_aws_credentials >&2; fi
# --html is relative to where the script was called from.
for i in "${!args[@]}"; do
  if [[ "${args[$i]}" == --html && "${args[$((i + 1))]}" != /* ]]; then args[i + 1]="$html_dir/${args[$((i + 1))]}"; fi
done
# The command goes to stderr, so --json output stays one JSON document.
show npx warden cost report "${args[@]}" >&2
npx warden cost report "${args[@]}" || fail 'the cost report failed'
