#!/usr/bin/env bash
# npm run demo: the whole story on one machine, with no appliance and no Pulumi account.
# Starts the bundled ZVM and VCDA simulators, installs this package into temporary copies of the
# examples the way a user would (npm pack + npm install), runs the real `pulumi up` with a local
# backend, shows what was built, proves a second preview finds nothing to change, destroys
# everything and shuts down. Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

if [ ! -d node_modules ]; then
  step "Installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
step "Building"
npm run --silent build

step "Preparing the Pulumi CLI (the first time builds it from source: 5-25 minutes; later runs start at once)"
started=$(date +%s)
bin="$(bash scripts/install-pulumi.sh)"
echo "pulumi $("$bin/pulumi" version) in $bin ($(( $(date +%s) - started ))s)"

work="$(mktemp -d "${TMPDIR:-/tmp}/drprotect-demo-XXXXXX")"
sim_pid=""
cleanup() {
  local status=$?
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -TERM "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "demo failed (exit $status); files kept in $work" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "Starting the ZVM and VCDA simulators on 127.0.0.1"
# DRPROTECT_DEMO_SIMULATOR_FLAGS adds simulator switches (e.g. --zvm-shape 7.x): CI runs the demo against them too
# shellcheck disable=SC2086
node dist/simulator/cli.js all --zvm-port 0 --vcda-port 0 --ready-file "$work/ready.json" ${DRPROTECT_DEMO_SIMULATOR_FLAGS:-} >"$work/simulators.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
  [ -f "$work/ready.json" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/simulators.log" >&2; echo "the simulators did not start" >&2; exit 1; }
  sleep 0.1
done
[ -f "$work/ready.json" ] || { cat "$work/simulators.log" >&2; echo "the simulators did not start within 10s" >&2; exit 1; }
cat "$work/simulators.log"
zvm_url="$(node -p "require('$work/ready.json').zvm.url")"
vcda_url="$(node -p "require('$work/ready.json').vcda.url")"

step "Packing pulumi-drprotect and installing it into copies of the examples"
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
for example in quickstart vcda-provider vcda-tenant; do
  mkdir -p "$work/$example"
  cp examples/$example/Pulumi.yaml examples/$example/package.json examples/$example/tsconfig.json examples/$example/index.ts "$work/$example/"
done
# The SDK our own install locks (the oldest supported, which runs on Node 20), unless
# DRPROTECT_PULUMI_SDK_VERSION (CI's matrix) names another: the example's ^range alone would pick the
# newest, which needs Node >= 22.
sdk_version="${DRPROTECT_PULUMI_SDK_VERSION:-$(node -p 'require("@pulumi/pulumi/package.json").version')}"
(cd "$work/quickstart" && npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" "@pulumi/pulumi@$sdk_version")
echo "installed: @pulumi/pulumi $(cd "$work/quickstart" && node -p 'require("@pulumi/pulumi/package.json").version'), running on node $(node --version)"
# The three examples have the same dependencies: install once, share node_modules.
ln -s ../quickstart/node_modules "$work/vcda-provider/node_modules"
ln -s ../quickstart/node_modules "$work/vcda-tenant/node_modules"

export PATH="$bin:$PATH" PULUMI_HOME="$work/pulumi-home" PULUMI_BACKEND_URL="file://$work/state" \
  PULUMI_CONFIG_PASSPHRASE="drprotect-demo" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_DIY_BACKEND_NO_LEGACY_WARNING=true
mkdir -p "$work/state"
p() { pulumi --non-interactive "$@"; }

stack_init() { # <example> then config key=value pairs; keys ending in :password are stored as secrets
  local example="$1"; shift
  cd "$work/$example"
  p stack init demo >/dev/null
  local pair
  for pair in "$@"; do
    case "${pair%%=*}" in
      *:password) p config set --secret "${pair%%=*}" "${pair#*=}" ;;
      *) p config set "${pair%%=*}" "${pair#*=}" ;;
    esac
  done
}

no_changes() { # a preview right after `up` must find nothing to do
  p preview --expect-no-changes >"$work/preview.log" 2>&1 || { cat "$work/preview.log"; echo "preview found changes after up" >&2; exit 1; }
  echo "pulumi preview --expect-no-changes: $(grep -E '^ +[0-9]+ unchanged' "$work/preview.log" | xargs), no changes"
}

step "examples/quickstart: a Zerto VPG protecting three VMs (ZVM at $zvm_url, session login as admin)"
stack_init quickstart "zerto:url=$zvm_url" zerto:authMode=session zerto:username=admin zerto:password=zerto-sim-password
p up --yes
p stack output --json >"$work/quickstart-outputs.json"
node "$here/scripts/demo-summary.js" zvm "$zvm_url" "$work/quickstart-outputs.json"
no_changes

step "examples/vcda-provider: a replication policy for org-acme (VCDA at $vcda_url, provider admin root@System)"
stack_init vcda-provider "vcda:url=$vcda_url" vcda:authType=vcdCredentials vcda:username=root@System vcda:password=vcda-sim-vcd-password
p up --yes
p stack output --json >"$work/provider-outputs.json"
no_changes

step "examples/vcda-tenant: org-acme replicates acme-web-01 to cloud-west (tenant admin@org-acme)"
stack_init vcda-tenant "vcda:url=$vcda_url" vcda:authType=vcdCredentials vcda:username=admin@org-acme vcda:password=vcda-sim-tenant-password
p up --yes
p stack output --json >"$work/tenant-outputs.json"
node "$here/scripts/demo-summary.js" vcda "$work/provider-outputs.json" "$work/tenant-outputs.json"
no_changes

step "Destroying everything (tenant, provider, quickstart)"
for example in vcda-tenant vcda-provider quickstart; do
  (cd "$work/$example" && p destroy --yes >/dev/null && echo "$example: destroyed")
done

step "Done: the demo created, checked and removed a VPG, a policy, an org assignment and a VM replication"
