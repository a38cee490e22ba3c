#!/usr/bin/env bash
# Kills `apiward keys gen` and `keys rotate` with SIGKILL at random moments, ROUNDS times
# (default 200), and checks after each that the keyring still opens with the old or the new
# content, and that no temp file survives the next write. Prints one line a round that went
# wrong and a summary; exits 1 if any did. Touches nothing outside a temp folder.
# usage: scripts/crash-keyring.sh [ROUNDS]   (APIWARD_BIN=path uses that binary instead of a
# release build)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-200}
. scripts/apiward-bin.sh
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" APIWARD_PASSPHRASE=crash-test
ws="$home/ws"
aw() { "$bin" --workspace "$ws" "$@"; }
aw keys init >/dev/null
aw keys gen --alg ES256 >/dev/null
bad=0
killed=0
for round in $(seq 1 "$rounds"); do
  before=$(aw keys list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))')
  if (( round % 2 )); then aw keys gen --alg ES256 >/dev/null 2>&1 & else aw keys rotate --force >/dev/null 2>&1 & fi
  pid=$!
  # Somewhere between start-up and the end of the write (a save takes about 0.1 s).
  sleep "0.$(printf '%03d' $((RANDOM % 250)))"
  if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
  wait "$pid" 2>/dev/null || true
  if ! after=$(aw keys list --json 2>"$home/err" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))'); then
    echo "round $round: the keyring does not open: $(cat "$home/err")"
    bad=$((bad + 1))
    continue
  fi
  if (( after < before || after > before + 2 )); then
    echo "round $round: $before keys before, $after after"
    bad=$((bad + 1))
  fi
  # The next write removes what a killed writer left behind.
  aw keys gen --alg ES256 >/dev/null
  if ls -A "$ws" | grep -q '\.tmp-'; then
    echo "round $round: temp files left after the next write: $(ls -A "$ws" | grep '\.tmp-' | tr '\n' ' ')"
    bad=$((bad + 1))
  fi
done
echo "crash-keyring: $rounds rounds, $killed killed mid-run, $bad went wrong"
(( bad == 0 ))
