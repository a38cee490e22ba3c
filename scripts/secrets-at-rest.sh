#!/usr/bin/env bash
# The trust issue's scripted session: log in to a lab, send a raw form with a password, basic
# auth and a bearer token, crack a weak secret, generate a key, issue an API key and import a
# curl command with a token; then search the config, data and workspace folders for every
# secret used, and check that the files holding redacted material are 0600.
# Prints what it found; exits 1 on any leak. Only talks to a lab on 127.0.0.1.
# usage: scripts/secrets-at-rest.sh   (APIWARD_BIN=path uses that binary instead of a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apiward-bin.sh
home=$(mktemp -d)
scratch=$(mktemp -d)
lab_pid=
cleanup() { [ -n "$lab_pid" ] && kill "$lab_pid" 2>/dev/null; rm -rf "$home" "$scratch"; }
trap cleanup EXIT
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" HOME="$home"
export APIWARD_PASSPHRASE=at-rest-passphrase-5521
ws="$home/ws"
aw() { "$bin" --workspace "$ws" "$@"; }

"$bin" lab --dir "$home/data/lab" >"$scratch/lab.out" 2>&1 &
lab_pid=$!
for _ in $(seq 100); do
  lab=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$scratch/lab.out" | head -1 || true)
  [ -n "$lab" ] && break
  sleep 0.1
done
[ -n "$lab" ] || { echo "secrets-at-rest: the lab did not start"; cat "$scratch/lab.out"; exit 1; }

login=$(aw send POST "$lab/login" username=alice password=alice-password)
token=$(printf '%s' "$login" | grep -o '"token": *"[^"]*"' | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$token" ] || { echo "secrets-at-rest: no token in the login answer"; exit 1; }
aw send "$lab/login" -d 'user=alice&password=form-pw-7781' >/dev/null || true
aw send "$lab/api/users/1" -u alice:basic-pw-7782 >/dev/null || true
aw send "$lab/api/users/1" "Authorization:Bearer $token" >/dev/null || true

weak=$(aw jwt sign --secret crackme-7783 --claims '{"sub":"alice"}')
printf 'guess\ncrackme-7783\n' >"$scratch/words.txt"
aw jwt crack "$weak" --wordlist "$scratch/words.txt" >/dev/null

aw keys init >/dev/null
aw keys gen --alg ES256 >/dev/null
apikey=$(aw apikey new --prefix atr --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
aw import curl "curl -H 'Authorization: Bearer curl-tok-7784' $lab/api/me" --save imported >/dev/null 2>&1

leaks=0
check() { # NAME VALUE [ALLOWED_FILE]
  local hits
  hits=$(grep -rlF -- "$2" "$home" 2>/dev/null | grep -vF "${3:-/nonexistent}" || true)
  if [ -n "$hits" ]; then
    echo "LEAK: $1 is in: $hits"
    leaks=$((leaks + 1))
  else
    echo "ok: $1 is in no file${3:+ but $(basename "$3")}"
  fi
}
check "the form password" form-pw-7781
check "the basic auth password" basic-pw-7782
check "the basic auth header" "$(printf 'alice:basic-pw-7782' | base64)"
check "the bearer token from the login" "$token"
check "the cracked secret" crackme-7783
check "the passphrase" "$APIWARD_PASSPHRASE"
check "the API key" "$apikey"
check "a private key" "PRIVATE KEY" "$home/data/lab"
check "the imported token" curl-tok-7784 "$ws/http-client.private.env.json"

for f in "$ws/history.jsonl" "$ws/http-client.private.env.json" "$ws/keyring.age"; do
  mode=$(stat -c %a "$f")
  if [ "$mode" = 600 ]; then echo "ok: $(basename "$f") is 0600"; else echo "MODE: $f is $mode"; leaks=$((leaks + 1)); fi
done
echo "secrets-at-rest: $leaks problems"
(( leaks == 0 ))
