# shellcheck shell=bash
# Helpers shared by the operator scripts in scripts/ (sourced, not run).
# Exit codes of every script: 0 ok, 1 a step failed, 2 usage, 3 a missing tool or missing AWS credentials.

PROG="${0##*/}"
WARDEN_ROOT="$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"
APPLY=0

usage_error() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  printf "Try '%s --help'.\n" "$PROG" >&2
  exit 2
}

fail() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  exit 1
}

missing() {
  printf '%s: %s\n' "$PROG" "$1" >&2
  exit 3
}

# need_value <flag> <argc>: a flag that takes a value must have one.
need_value() {
  if [[ $2 -lt 2 ]]; then usage_error "$1 needs a value"; fi
}

# take_db <arg>: the one positional argument of backup.sh and restore.sh, the database identifier.
take_db() {
  [[ -z "$db" ]] || usage_error "one database only (got '$db' and '$1')"
  db="$1"
}

require_db() {
  [[ -n "$db" ]] || usage_error 'the database identifier is required'
}

valid_stage() {
  case "$1" in
    dev | staging | prod) ;;
    *) usage_error "--stage must be dev, staging or prod (got '$1')" ;;
  esac
}

require_tool() {
  command -v "$1" >/dev/null 2>&1 || missing "missing tool: $1 ($2)"
}

# Node.js 20.19 or newer (package.json engines).
require_node() {
  require_tool node 'install Node.js 20.19+'
  local version major minor
  version="$(node -p 'process.versions.node')"
  major="${version%%.*}"
  minor="${version#*.}"
  minor="${minor%%.*}"
  if ((major < 20 || (major == 20 && minor < 19))); then
    missing "Node.js 20.19+ required, found $version"
  fi
}

# The Serverless Framework CLI (osls) of this repository, installed by `npm ci`.
require_sls() {
  require_tool npx 'comes with Node.js'
  [[ -x "$WARDEN_ROOT/node_modules/.bin/sls" ]] || missing "missing tool: sls (run 'npm ci' in $WARDEN_ROOT)"
}

# Usable AWS credentials: asks STS who we are and prints it.
require_aws_credentials() {
  require_tool aws 'install the AWS CLI v2'
  local identity
  if ! identity="$(aws sts get-caller-identity --query Arn --output text 2>&1)"; then
    missing "no usable AWS credentials (aws sts get-caller-identity failed: $identity)"
  fi
  printf 'AWS identity: %s\n' "$identity"
}

# Prints a command the way it would be typed.
show() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
}

# A command that only reads: always runs.
run_read() {
  show "$@"
  "$@"
}

# A command that changes something: runs with --apply, otherwise only printed.
run_change() {
  show "$@"
  if [[ $APPLY -eq 1 ]]; then
    "$@"
  else
    printf '  (dry-run: not run; add --apply)\n'
  fi
}
