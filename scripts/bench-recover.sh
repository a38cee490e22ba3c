#!/usr/bin/env bash
# `apiward jwt recover-key` against the gmpy2 reference (the computation of PortSwigger's
# rsa_sign2n: s^e - m for two tokens, then one gcd), side by side on the same two RS256 tokens
# signed by pyjwt with an openssl key, as docs/benchmarks.md records it. Wall time and peak
# memory of each; apiward must find the exact modulus (checked against openssl's).
# usage: scripts/bench-recover.sh [BITS (default 2048)] [ROUNDS (default 1)]
#   needs openssl, python3 with gmpy2, pyjwt and cryptography
#   (pip install gmpy2 pyjwt cryptography); APIWARD=/path/to/apiward skips the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bits=${1:-2048}; rounds=${2:-1}
command -v openssl >/dev/null || { echo "bench-recover: openssl is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench-recover: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
python3 -c 'import gmpy2, jwt, cryptography' 2>/dev/null || {
  echo "bench-recover: python3 needs gmpy2, pyjwt and cryptography (pip install gmpy2 pyjwt cryptography)" >&2
  exit 2
}
if [ -z "${APIWARD:-}" ]; then
  cargo build --release --locked
  APIWARD=target/release/apiward
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$APIWARD" "$work/apiward"
openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out "$work/key.pem" 2>/dev/null
python3 - "$work" <<'PY'
import sys, jwt
work = sys.argv[1]
key = open(f"{work}/key.pem").read()
for i in (1, 2):
    open(f"{work}/t{i}", "w").write(jwt.encode({"sub": f"user{i}", "n": i}, key, algorithm="RS256"))
PY
# The reference: exactly the big-number work rsa_sign2n does for e = 65537 (gmpy2 = GMP).
cat > "$work/ref.py" <<'PY'
import sys, base64, hashlib, gmpy2
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
pairs = []
for path in sys.argv[1:3]:
    head, body, sig = open(path).read().strip().split(".")
    s = b64(sig); k = len(s)
    digest_info = bytes.fromhex("3031300d060960864801650304020105000420")
    t = digest_info + hashlib.sha256(f"{head}.{body}".encode()).digest()
    em = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    pairs.append((gmpy2.mpz(int.from_bytes(s, "big")), gmpy2.mpz(int.from_bytes(em, "big"))))
e = 65537
a, b = (pow(s, e) - m for s, m in pairs)
g = gmpy2.gcd(a, b)
for p in range(2, 1 << 16):
    while g % p == 0 and g > p:
        g //= p
print(hex(g)[2:])
PY
want=$(openssl rsa -in "$work/key.pem" -noout -modulus 2>/dev/null | sed 's/^Modulus=//' | tr 'A-F' 'a-f')
echo "RSA-$bits, two RS256 tokens by pyjwt; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  /usr/bin/time -f "%e %M" -o "$work/time.a" "$work/apiward" jwt recover-key --json "@$work/t1" "@$work/t2" > "$work/out.json"
  got=$(python3 -c 'import json,sys,base64; c=json.load(open(sys.argv[1]))["candidates"][0]; n=c["spki_pem"]; print(c["verifies"])' "$work/out.json")
  "$work/apiward" jwt recover-key --out "$work/keys" "@$work/t1" "@$work/t2" > /dev/null 2>&1
  mod=$(openssl rsa -pubin -in "$(ls "$work"/keys/*.spki.pem | head -1)" -noout -modulus | sed 's/^Modulus=//' | tr 'A-F' 'a-f')
  [ "$mod" = "$want" ] && [ "$got" = "True" ] || { echo "bench-recover: apiward did not find the modulus" >&2; exit 1; }
  /usr/bin/time -f "%e %M" -o "$work/time.r" python3 "$work/ref.py" "$work/t1" "$work/t2" > "$work/ref.out"
  [ "$(sed 's/^0*//' "$work/ref.out")" = "$(echo "$want" | sed 's/^0*//')" ] || echo "bench-recover: the reference did not find the modulus (round $round)" >&2
  read -r at am < "$work/time.a"; read -r rt rm < "$work/time.r"
  printf 'round %d: apiward %6.1f s %5d MiB   gmpy2 reference %6.1f s %5d MiB\n' \
    "$round" "$at" $((am / 1024)) "$rt" $((rm / 1024))
done
