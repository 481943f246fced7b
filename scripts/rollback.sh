#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Rolls the warden stack, or one Lambda alias, back to the previous version. Dry-run unless --apply.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=_common.sh
source "$here/_common.sh"

usage() {
  cat <<USAGE
usage: scripts/rollback.sh --stage <dev|staging|prod> [--region <region>] [--timestamp <t>] [--apply]
       scripts/rollback.sh --stage <dev|staging|prod> --function <name> [--alias live] [--to <version>]
                           [--account <id>] [--region <region>] [--apply]

The stack (no --function): lists the deployments (npx sls deploy list --stage <stage>), then
  npx sls rollback --stage <stage> --timestamp <t>
with <t> from --timestamp, or else the deployment before the newest one.

One alias (--function): npx warden rollback lambda:<function>:<alias> [--to <version>] --stage <stage>
which moves the alias to the last known good (or previous) version, or to --to, never to a newer one.
warden's own functions are named warden-<stage>-<function key>, e.g. warden-prod-notify.

Without --apply: the stack plan is printed after the (read-only) listing; the alias rollback runs as
warden's own dry-run, which shows from -> to and changes nothing.
Options:
  --stage <s>        dev, staging or prod (required)
  --region <r>       AWS region (default: serverless.yml / your AWS config)
  --timestamp <t>    stack: the deployment to go back to (from npx sls deploy list)
  --function <name>  roll back this function's alias instead of the stack
  --alias <a>        alias name (default: live)
  --to <version>     alias: this version instead of the last known good one
  --account <id>     alias: the target account (through WardenExecutionRole)
  --apply            really roll back
  -h, --help         this help
Exit codes: 0 ok, 1 a step failed, 2 usage, 3 missing tool or credentials.
USAGE
}

stage=''
region=()
timestamp=''
fn=''
alias_name=live
to=()
account=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stage) need_value "$1" $#; stage="$2"; shift 2 ;;
    --region) need_value "$1" $#; region=(--region "$2"); shift 2 ;;
    --timestamp) need_value "$1" $#; timestamp="$2"; shift 2 ;;
    --function) need_value "$1" $#; fn="$2"; shift 2 ;;
    --alias) need_value "$1" $#; alias_name="$2"; shift 2 ;;
    --to) need_value "$1" $#; to=(--to "$2"); shift 2 ;;
    --account) need_value "$1" $#; account=(--account "$2"); shift 2 ;;
    --apply) APPLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n "$stage" ]] || usage_error '--stage is required'
valid_stage "$stage"
if [[ -n "$fn" && -n "$timestamp" ]]; then usage_error '--timestamp is for the stack, not with --function'; fi
if [[ -z "$fn" && (${#to[@]} -gt 0 || ${#account[@]} -gt 0) ]]; then
  usage_error '--to and --account need --function'
fi
if [[ -n "$timestamp" && ! "$timestamp" =~ ^[0-9]+$ ]]; then usage_error '--timestamp must be a number'; fi

cd "$WARDEN_ROOT"
require_node
require_aws_credentials

if [[ -n "$fn" ]]; then
  args=(npx warden rollback "lambda:$fn:$alias_name" "${to[@]}" --stage "$stage" "${region[@]}" "${account[@]}")
  if [[ $APPLY -eq 1 ]]; then
    run_read "${args[@]}" --apply || fail "alias rollback of $fn:$alias_name failed"
  else
    run_read "${args[@]}" || fail "alias rollback dry-run of $fn:$alias_name failed"
    printf 'dry-run: the alias was not changed (add --apply)\n'
  fi
  exit 0
fi

require_sls
listing="$(run_read npx sls deploy list --stage "$stage" "${region[@]}")" || fail "cannot list the deployments of stage $stage"
printf '%s\n' "$listing"
if [[ -z "$timestamp" ]]; then
  mapfile -t stamps < <(printf '%s\n' "$listing" | sed -n 's/.*Timestamp: *\([0-9][0-9]*\).*/\1/p' | sort -n)
  if [[ ${#stamps[@]} -lt 2 ]]; then
    fail "no earlier deployment of stage $stage to roll back to (found ${#stamps[@]}); pass --timestamp"
  fi
  timestamp="${stamps[${#stamps[@]} - 2]}"
  printf 'previous deployment: %s\n' "$timestamp"
fi
run_change npx sls rollback --stage "$stage" "${region[@]}" --timestamp "$timestamp" ||
  fail "stack rollback of stage $stage failed"
if [[ $APPLY -eq 1 ]]; then
  run_read npx sls invoke --stage "$stage" "${region[@]}" -f selfcheck || fail "selfcheck failed after the rollback"
else
  printf 'dry-run: the stack was not changed (add --apply)\n'
fi
