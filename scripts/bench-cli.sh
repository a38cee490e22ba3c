#!/usr/bin/env bash
# Whole-process benchmarks of the CLI against local servers only (127.0.0.1), the way
# docs/benchmarks.md records them. Needs hyperfine, curl, python3 and openssl (Debian
# packages); the peers (testssl.sh, sslyze) are measured when installed.
# usage: scripts/bench-cli.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20; [ "${1:-}" = "--quick" ] && runs=5
for tool in hyperfine curl python3 openssl; do
  command -v "$tool" >/dev/null || { echo "bench-cli: $tool is needed (apt-get install $tool)" >&2; exit 2; }
done
cargo build --release --locked
bin=$PWD/target/release/apiward
work=$(mktemp -d)
# The coproc server runs python by exec, so SERVER_PID is the server's own: left running, it
# would hold a piped stdout open. `|| true`: the trap must go on to clean up under `set -e`.
trap 'kill $(jobs -p) ${SERVER_PID:-} 2>/dev/null || true; rm -rf "$work"' EXIT

# A local HTTP and HTTPS server (python's threading server) with a small and a 20 MB JSON file.
# A CA and a leaf it signs (a self-signed `req -x509` certificate is a CA certificate, which
# rustls rightly refuses as a server certificate).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=bench-ca \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
  -keyout "$work/key.pem" -out "$work/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' > "$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 2 -extfile "$work/leaf.ext" -out "$work/cert.pem" 2>/dev/null
mkdir -p "$work/www"
echo '{"ok":true}' > "$work/www/small.json"
python3 - "$work/www/big.json" <<'PY'
import json, sys
rows = [{"id": i, "name": f"user{i}", "email": f"user{i}@example.test", "roles": ["a", "b"], "active": i % 2 == 0} for i in range(200_000)]
open(sys.argv[1], "w").write(json.dumps(rows))
PY
cat > "$work/serve.py" <<'PY'
import http.server, ssl, sys, functools, threading
root, cert, key = sys.argv[1:4]
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=root)
plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert, key)
tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
print(plain.server_address[1], tls.server_address[1], flush=True)
threading.Thread(target=plain.serve_forever, daemon=True).start()
tls.serve_forever()
PY
coproc SERVER { exec python3 "$work/serve.py" "$work/www" "$work/cert.pem" "$work/key.pem"; }
read -r http_port https_port <&"${SERVER[0]}"
http="http://127.0.0.1:$http_port"; https="https://localhost:$https_port"
echo "servers: $http $https"

token=$("$bin" jwt sign --alg HS256 --secret not-a-weak-secret-at-all-0123456789 --claims '{"sub":"alice","iat":1700000000}')
echo "== jwt decode, whole process (jwt-cli beside it when installed: cargo install jwt-cli)"
peers=()
command -v jwt >/dev/null && peers+=("jwt decode $token")
hyperfine -N --warmup 20 --runs "$((runs * 10))" "${peers[@]}" "$bin jwt decode $token" \
  "$bin jwt lint $token" "$bin --version"

echo "== send a small GET (HTTP, HTTPS) against curl"
hyperfine -N --warmup 3 --runs "$runs" \
  "curl -s -o /dev/null $http/small.json" "$bin send $http/small.json" \
  "curl -s -o /dev/null --cacert $work/ca.pem $https/small.json" "$bin send --ca-file $work/ca.pem $https/small.json"

echo "== send a 20 MB JSON body, pretty-printed"
ls -l "$work/www/big.json" | awk '{print $5 " bytes"}'
hyperfine --warmup 1 --runs 5 "$bin send $http/big.json > /dev/null"
/usr/bin/time -f "max RSS %M KiB" "$bin" send "$http/big.json" > /dev/null

echo "== crack: per core and scaling"
seq -f "guess%09g" 1 6000000 > "$work/words.txt"
for threads in 1 2; do
  /usr/bin/time -f "threads=$threads %e s, max RSS %M KiB" "$bin" jwt crack "$token" --wordlist "$work/words.txt" --threads "$threads" || true
done

echo "== audit: one loopback HTTPS target"
hyperfine -N --warmup 2 --runs "$runs" "$bin audit $https/small.json --ca $work/ca.pem --json"
echo "== audit: 500 loopback targets at concurrency 50"
for i in $(seq 1 500); do echo "$http/small.json?t=$i"; done > "$work/targets.txt"
/usr/bin/time -f "%e s, max RSS %M KiB" "$bin" audit --targets "$work/targets.txt" --concurrency 50 --json > /dev/null
if command -v testssl >/dev/null; then
  echo "== peer: testssl (Debian testssl.sh)"; /usr/bin/time -f "%e s" testssl --quiet --warnings off "$https" > /dev/null || true
fi
if command -v sslyze >/dev/null; then
  echo "== peer: sslyze"; /usr/bin/time -f "%e s" sslyze "localhost:$https_port" > /dev/null || true
fi
