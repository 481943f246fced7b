#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Deploys warden to one stage, then runs the post-deploy selfcheck. Dry-run unless --apply.
set -euo pipefail
here="${BASH_SOURCE[0]%/*}"
[[ "$here" != "${BASH_SOURCE[0]}" ]] || here=.
# shellcheck source=_common.sh
source "$here/_common.sh"

usage() {
  cat <<USAGE
usage: scripts/deploy.sh --stage <dev|staging|prod> [--region <region>] [--snapshot <resource>]...
                         [--skip-selfcheck] [--apply]

Deploys the warden stack of a stage and runs its selfcheck:
  1. pre-checks: Node.js 20.19+, the sls CLI (npm ci), and with --apply AWS credentials (aws sts get-caller-identity)
  2. pre-migration backup, for each --snapshot: npx warden backup snapshot <resource> --wait --apply
     (an RDS/Aurora id, dynamodb:<table>, elasticache:<group> or an ARN; the deploy stops if a backup fails or
     cannot be verified encrypted and complete)
  3. npx sls deploy --stage <stage> [--region <region>]
  4. npx sls invoke --stage <stage> [--region <region>] -f selfcheck   (fails when selfcheck lists a problem)

Without --apply it prints the commands and runs none of them (no AWS call).
Options:
  --stage <s>        dev, staging or prod (required)
  --region <r>       AWS region (default: serverless.yml, eu-west-1)
  --snapshot <res>   back up this resource before deploying (repeatable): the step before a migration
  --skip-selfcheck   deploy only
  --apply            really deploy
  -h, --help         this help
Exit codes: 0 ok, 1 deploy or selfcheck failed, 2 usage, 3 missing tool or credentials.
If the deploy or the selfcheck fails, roll back with scripts/rollback.sh --stage <stage>.
USAGE
}

stage=''
region=()
snapshots=()
selfcheck=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --stage) need_value "$1" $#; stage="$2"; shift 2 ;;
    --region) need_value "$1" $#; region=(--region "$2"); shift 2 ;;
    --snapshot) need_value "$1" $#; snapshots+=("$2"); shift 2 ;;
    --skip-selfcheck) selfcheck=0; shift ;;
    --apply) APPLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[[ -n "$stage" ]] || usage_error '--stage is required'
valid_stage "$stage"

cd "$WARDEN_ROOT"
require_node
require_sls
if [[ $APPLY -eq 1 ]]; then
  require_aws_credentials
else
  printf 'dry-run: deploy plan for stage %s (add --apply to run it)\n' "$stage"
fi

for resource in "${snapshots[@]}"; do
  if ! run_change npx warden backup snapshot "$resource" --wait --stage "$stage" "${region[@]}" --apply; then
    fail "pre-migration backup of $resource failed or could not be verified: nothing was deployed"
  fi
done
run_change npx sls deploy --stage "$stage" "${region[@]}"
if [[ $selfcheck -eq 1 ]]; then
  if ! run_change npx sls invoke --stage "$stage" "${region[@]}" -f selfcheck; then
    fail "selfcheck failed on stage $stage: fix, or roll back with scripts/rollback.sh --stage $stage"
  fi
fi
if [[ $APPLY -eq 1 ]]; then
  printf 'deployed stage %s\n' "$stage"
else
  printf 'dry-run: nothing was changed\n'
fi
