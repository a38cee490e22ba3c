#!/usr/bin/env bash
# Fetches GitHub's REST API description (npm @octokit/openapi, generated/api.github.com.json,
# about 13 MB) from the npm registry into target/github-openapi/ (git-ignored), for
# tests/integration/import_openapi.rs (which says it skipped without it) and the benchmark in
# docs/benchmarks.md. usage: scripts/fetch-github-openapi.sh [VERSION]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "fetch-github-openapi: npm is needed" >&2; exit 2; }
version=${1:-23.0.2}
dir=target/github-openapi
mkdir -p "$dir"
tarball=$(cd "$dir" && npm pack "@octokit/openapi@$version" --silent)
tar -xzf "$dir/$tarball" -C "$dir" package/generated/api.github.com.json
rm -f "$dir/$tarball"
ls -l "$dir/package/generated/api.github.com.json"
