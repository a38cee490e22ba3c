#!/usr/bin/env bash
# GitHub's REST API description (npm @octokit/openapi, generated/api.github.com.json, 13 MB)
# through apiward's import and lint and through Spectral 6.16 (its spectral:oas ruleset, and
# its OWASP ruleset), one after the other in one run, each timed with /usr/bin/time -v for wall
# time and peak RSS. The peers come from tests/data/spec/spectral (npm ci), the description from
# scripts/fetch-github-openapi.sh.
# docs/benchmarks.md records what it prints. Local files only; nothing is sent anywhere.
# usage: scripts/bench-spec.sh [--no-spectral]   (APIWARD_BIN=path measures that binary instead
# of building the release one)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "bench-spec: npm is needed for the description and Spectral" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-spec: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
peers=tests/data/spec/spectral
[ -x "$peers/node_modules/.bin/spectral" ] || npm ci --prefix "$peers" --no-audit --no-fund --loglevel=error
spec=target/github-openapi/package/generated/api.github.com.json
[ -f "$spec" ] || scripts/fetch-github-openapi.sh
if [ -n "${APIWARD_BIN:-}" ]; then
  bin=$APIWARD_BIN
else
  cargo build --release --locked
  bin=$PWD/target/release/apiward
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=target/bench-spec.txt
: > "$out"

# Runs a command under /usr/bin/time -v and prints one line: what, wall time, peak RSS, exit.
measure() {
  local what=$1; shift
  local log="$work/time.log"
  local status=0
  /usr/bin/time -v "$@" > "$work/stdout" 2> "$log" || status=$?
  local wall rss
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  printf '%-44s wall %-9s peak RSS %6d MiB  exit %s\n' "$what" "$wall" "$((rss / 1024))" "$status" | tee -a "$out"
  if [ "$status" -ne 0 ] && grep -q "Error" "$log"; then
    grep -m1 -E "Error #?[0-9]*:" "$log" | sed 's/^/    /' | tee -a "$out"  || true
  fi
}

echo "== $(du -h "$spec" | cut -f1) $spec, $(nproc) cores" | tee -a "$out"
for i in 1 2 3; do
  measure "apiward spec lint --json (run $i)" "$bin" spec lint "$spec" --json
done
echo "    $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(len(d["findings"]), "findings of", len(d["counts"]), "rules")' "$work/stdout")" | tee -a "$out"
measure "apiward spec lint (text)" "$bin" spec lint "$spec"
if "$bin" import openapi --help >/dev/null 2>&1; then
  for i in 1 2; do
    rm -rf "$work/ws"; mkdir "$work/ws"
    measure "apiward import openapi (run $i)" "$bin" --workspace "$work/ws" import openapi "$spec"
  done
else
  echo "apiward import openapi: not in this build, not measured" | tee -a "$out"
fi
if [ "${1:-}" != "--no-spectral" ]; then
  measure "spectral lint, spectral:oas" "$peers/node_modules/.bin/spectral" lint -r "$peers/oas.yaml" -f json "$spec"
  measure "spectral lint, OWASP ruleset 2.0.1" "$peers/node_modules/.bin/spectral" lint -r "$peers/owasp.yaml" -f json "$spec"
fi
echo "written to $out"
