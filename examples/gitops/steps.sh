#!/usr/bin/env bash
# The GitOps pipeline's steps, the same ones the CI workflows beside this file run, runnable locally
# in a Pulumi project that has pulumi-drprotect installed:
#
#   STACK=prod bash steps.sh review   # preview --json -> review.md / review.json (the PR comment)
#   STACK=prod bash steps.sh policy   # preview with the DR policy pack (fails on a mandatory rule)
#   STACK=prod bash steps.sh apply    # up, with the policy pack (on merge)
#   STACK=prod bash steps.sh drift    # drift report (exit 2 when something changed out of band)
#   STACK=prod bash steps.sh all      # review, policy, apply, drift in that order
#
# Settings (environment): STACK (required), OUT_DIR (reports, default .gitops), POLICY_CONFIG (a
# --policy-pack-config JSON file), FAIL_ON (review --fail-on: risk, change or never; default never).
# Connection settings come from stack config or ZERTO_*/VCDA_* variables, as for the provider.
set -euo pipefail
stack="${STACK:?set STACK to the stack to review}"
out="${OUT_DIR:-.gitops}"
pack="${POLICY_PACK:-node_modules/pulumi-drprotect/policy-pack}"
mkdir -p "$out"
policy_args=(--policy-pack "$pack")
[ -n "${POLICY_CONFIG:-}" ] && policy_args+=(--policy-pack-config "$POLICY_CONFIG")
drprotect() { npx --no-install pulumi-drprotect "$@"; }

review() {
  pulumi preview --stack "$stack" --non-interactive --json > "$out/preview.json"
  drprotect review "$out/preview.json" --format json -o "$out/review.json"
  drprotect review "$out/preview.json" -o "$out/review.md" --fail-on "${FAIL_ON:-never}"
  echo "review written to $out/review.md" >&2
}
policy() { pulumi preview --stack "$stack" --non-interactive "${policy_args[@]}"; }
apply() { pulumi up --stack "$stack" --non-interactive --yes "${policy_args[@]}"; }
drift() { drprotect drift --run --stack "$stack" -o "$out/drift.md"; }

case "${1:-}" in
  review|policy|apply|drift) "$1" ;;
  all) review; policy; apply; drift ;;
  *) echo "usage: STACK=<stack> $0 review|policy|apply|drift|all" >&2; exit 1 ;;
esac
