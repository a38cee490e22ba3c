#!/usr/bin/env bash
# The authorization matrix's speed, as docs/benchmarks.md records it: 200 GET requests × the
# sample's 4 identities (alice, bob, admin, anonymous) against `apiward lab` on loopback, at
# the default pace (400 requests a second) and unpaced. Loopback only; needs python3.
# usage: scripts/bench-authz.sh [ROUNDS]   (BIN=path/to/apiward skips the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
command -v python3 >/dev/null || { echo "bench-authz: python3 is needed" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked
  BIN=$PWD/target/release/apiward
fi
work=$(mktemp -d)
trap 'kill ${LAB_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT

NO_COLOR=1 "$BIN" lab --dir "$work/lab" >"$work/lab.out" 2>&1 &
LAB_PID=$!
for _ in $(seq 300); do
  grep -q '^Press Ctrl-C' "$work/lab.out" && break
  sleep 0.1
done
sample=$(sed -n 's/^Sample workspace: //p' "$work/lab.out")
[ -d "$sample" ] || { echo "bench-authz: the lab did not start:" >&2; cat "$work/lab.out" >&2; exit 1; }

# 200 GET requests over the lab's object, admin and public routes, tagged `bench` so the run
# takes exactly these (the identities log in through the sample's own authz-login).
python3 - "$sample/requests/bench.http" <<'PY'
import os, sys
paths = ["/api/me", "/api/users/{n}", "/api/admin/export", "/api/status", "/api/orders/{n}", "/v1/users/{n}", "/api/users", "/api/companies/{n}"]
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
with open(sys.argv[1], "w") as f:
    for i in range(200):
        path = paths[i % len(paths)].replace("{n}", str(1 + i % 3))
        f.write(f"### \n# @name bench-{i}\n# @tag bench\nGET {{{{base_url}}}}{path}\n\n")
PY

run() {
  local label=$1; shift
  for r in $(seq "$rounds"); do
    local start end
    start=$(date +%s.%N)
    "$BIN" authz --workspace "$sample" --tag bench --json "$@" >"$work/out.json"
    end=$(date +%s.%N)
    python3 - "$work/out.json" "$label" "$r" "$start" "$end" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
label, r, start, end = sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
print(f"{label} round {r}: {len(m['rows'])} requests x {len(m['identities'])} identities, "
      f"{m['sent']} sent, run {m['elapsed_ms'] / 1000:.2f} s, whole process {end - start:.2f} s")
PY
  done
}
run "default pace (--rate 400)"
run "unpaced (--rate 100000)" --rate 100000
