#!/usr/bin/env bash
# Makes the `pulumi` CLI, the Node.js language host, the dynamic-provider plugin and the policy-pack
# script (pulumi-analyzer-policy) available.
# Prints the directory holding them on stdout (progress goes to stderr).
#
# Which CLI: DRPROTECT_PULUMI_CLI_VERSION
# - unset: the known-good version, the lowest @pulumi/pulumi the package supports (package.json's
#   range floor, 3.248.0); needs no network once built.
# - <version> (e.g. 3.274.1): that version.
# - latest: the newest github.com/pulumi/pulumi/pkg/v3 release the Go module proxy serves. When it
#   cannot be looked up, does not build (remembered, so the build is not retried with the same Go),
#   or does not build within DRPROTECT_PULUMI_BUILD_TIMEOUT seconds (unset: no limit; Go's build
#   cache keeps the progress for the next run), the known-good version is used instead.
#
# - A `pulumi` on PATH that reports the wanted version is used as is (nothing is built).
# - Otherwise the CLI and language host are built from the Go module proxy with ordinary `go`
#   commands (at nice 19), cached under ${PULUMI_CLI_CACHE:-~/.cache/pulumi-drprotect/pulumi-cli}/v<version>,
#   so later runs return at once. A lock makes concurrent runs wait for one build.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { echo "install-pulumi: $*" >&2; }

known_good="$(node -p "require('$here/package.json').dependencies['@pulumi/pulumi'].replace(/^[^0-9]*/, '')")"
root="${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-drprotect/pulumi-cli}"
# a Go toolchain installed in the usual place but not on this shell's PATH still counts
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi

if [ "${DRPROTECT_PULUMI_CLI_VERSION:-}" = latest ]; then
  newest="$(GOFLAGS= timeout 120 go list -m -f '{{.Version}}' github.com/pulumi/pulumi/pkg/v3@latest 2>/dev/null | sed 's/^v//' || true)"
  failed="$root/v$newest-$(uname -s)-$(uname -m).failed"
  if [ -z "$newest" ]; then
    log "the Go module proxy did not answer; using the known-good v$known_good"
  elif [ -f "$failed" ] && [ "$(head -n 1 "$failed")" = "$(go version)" ]; then
    log "v$newest did not build with this Go before ($failed); using the known-good v$known_good"
  elif DRPROTECT_PULUMI_CLI_VERSION="$newest" timeout "${DRPROTECT_PULUMI_BUILD_TIMEOUT:-0}" bash "${BASH_SOURCE[0]}"; then
    exit 0
  else
    status=$?
    if [ "$status" -eq 124 ]; then log "building v$newest took longer than ${DRPROTECT_PULUMI_BUILD_TIMEOUT}s; using the known-good v$known_good"
    else log "v$newest did not build (exit $status); using the known-good v$known_good"; fi
  fi
  DRPROTECT_PULUMI_CLI_VERSION="$known_good" exec bash "${BASH_SOURCE[0]}"
fi
version="${DRPROTECT_PULUMI_CLI_VERSION:-$known_good}"
plugin_src="$(cd "$here" && node -p "require('path').join(require('path').dirname(require.resolve('@pulumi/pulumi/package.json')), 'pulumi-resource-pulumi-nodejs')" 2>/dev/null || true)"

install_plugin() { # the dynamic-provider plugin is a small sh script shipped in the npm package
  local dir="$1"
  if [ ! -x "$dir/pulumi-resource-pulumi-nodejs" ]; then
    [ -n "$plugin_src" ] && [ -f "$plugin_src" ] || { log "run npm ci first: @pulumi/pulumi is not installed"; exit 4; }
    install -m 0755 "$plugin_src" "$dir/pulumi-resource-pulumi-nodejs"
  fi
  install_policy_analyzer "$dir"
}

# `pulumi preview --policy-pack` starts a Node.js pack through the language host, or, when the pack's
# runtime has none (the sdk 3.68 host built above cannot run packs), through the pulumi-analyzer-policy
# script of the pulumi sources (sdk/nodejs/dist; sdk/v3@v3.68.0 is the last tagged Go module with it).
install_policy_analyzer() {
  local dir="$1" src
  [ -x "$dir/pulumi-analyzer-policy" ] && return 0
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; fi
  src="$(GOFLAGS=-modcacherw go mod download -json github.com/pulumi/pulumi/sdk/v3@v3.68.0 2>/dev/null \
    | node -e 'let s = ""; process.stdin.on("data", d => s += d).on("end", () => { try { process.stdout.write(JSON.parse(s).Dir || "") } catch {} })' || true)"
  if [ -n "$src" ] && [ -f "$src/nodejs/dist/pulumi-analyzer-policy" ]; then
    install -m 0755 "$src/nodejs/dist/pulumi-analyzer-policy" "$dir/pulumi-analyzer-policy"
  else
    log "pulumi-analyzer-policy not installed (no Go module cache or proxy): policy packs need a language host that runs them"
  fi
}

if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "v$version" ]; then
  dir="$(dirname "$(readlink -f "$(command -v pulumi)")")"
  log "using pulumi v$version already on PATH ($dir)"
  if [ -x "$dir/pulumi-language-nodejs" ] || command -v pulumi-language-nodejs >/dev/null 2>&1; then
    echo "$dir"; exit 0
  fi
fi

out="$root/v$version-$(uname -s)-$(uname -m)"
done_marker="$out/.complete"
if [ -f "$done_marker" ]; then install_plugin "$out/bin"; echo "$out/bin"; exit 0; fi

command -v go >/dev/null 2>&1 || { log "no Go toolchain: install Go (>= 1.25) or put pulumi v$version on PATH"; exit 2; }
mkdir -p "$root"
exec 9>"$root/.lock"
if ! flock -n 9; then log "another run is building pulumi v$version; waiting for it"; flock 9; fi
if [ -f "$done_marker" ]; then install_plugin "$out/bin"; echo "$out/bin"; exit 0; fi

log "building pulumi v$version from the Go module proxy (first time only: about 10-25 minutes on 2 cores)"
started=$(date +%s)
export CGO_ENABLED=0 GOFLAGS=-modcacherw GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT; trap 'exit 143' TERM INT
cd "$work"
go mod init example.invalid/pulumi-cli-build >/dev/null 2>&1
# pkg/go.mod replaces atotto/clipboard (3.135.1 onwards); a wrapper module must repeat it
go mod edit -replace=github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e
go mod edit -require="github.com/pulumi/pulumi/pkg/v3@v$version" -require="github.com/pulumi/pulumi/sdk/v3@v$version"
# The language host is an untagged nested module, so it can only be required at a commit (the
# pkg tag's). Module proxies that serve only tagged versions refuse that; then build the host from
# sdk/v3@v3.68.0, the last tagged module that still contained it (its gRPC contract and the
# arguments it passes to @pulumi/pulumi/cmd/run are still what the engine and SDK use).
lh_rev="$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@v$version" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const j = JSON.parse(s); if (j.Error) { console.error(j.Error); process.exit(1); }
    process.stdout.write((j.Origin && j.Origin.Hash) || ""); });')"
lh_pkg="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3"
lh_dir="$work"
if [ -n "$lh_rev" ] && go get "$lh_pkg@$lh_rev" >&2 2>/dev/null; then
  log "language host at commit $lh_rev"
  go mod edit -require="github.com/pulumi/pulumi/pkg/v3@v$version" -require="github.com/pulumi/pulumi/sdk/v3@v$version"
else
  log "the module proxy does not serve the language host at a commit; building it from sdk/v3@v3.68.0"
  lh_pkg="github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
  lh_dir="$work/langhost"
  mkdir -p "$lh_dir"
  (cd "$lh_dir" && go mod init example.invalid/pulumi-langhost-build >/dev/null 2>&1 \
    && go mod edit -require=github.com/pulumi/pulumi/sdk/v3@v3.68.0)
fi

# A compile error is remembered (with the Go that hit it), so `latest` does not retry it every
# run; a build stopped by a signal (the time limit) is not an error of the version.
compile() { # <dir> <output> <package>
  local status=0
  (cd "$1" && nice -n 19 go build -mod=mod -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$2" "$3") || status=$?
  [ "$status" -eq 0 ] && return
  if [ "$status" -lt 128 ]; then
    go version >"$out.failed"
    log "pulumi v$version did not build; remembered in $out.failed (delete it to retry)"
  fi
  exit "$status"
}
ldflags="-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
mkdir -p "$work/bin"
log "compiling pulumi"
compile "$work" "$work/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
log "compiling pulumi-language-nodejs"
compile "$lh_dir" "$work/bin/pulumi-language-nodejs" "$lh_pkg"
built="$("$work/bin/pulumi" version)"
[ "$built" = "v$version" ] || { log "built pulumi reports $built, expected v$version"; exit 3; }

rm -rf "$out.tmp"; mkdir -p "$out.tmp"; mv "$work/bin" "$out.tmp/bin"
install_plugin "$out.tmp/bin"
touch "$out.tmp/.complete"; rm -rf "$out" "$out.failed"; mv "$out.tmp" "$out"
log "built pulumi v$version in $(( $(date +%s) - started ))s: $out/bin"
echo "$out/bin"
