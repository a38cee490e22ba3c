#!/usr/bin/env bash
# Runs every command that reads from a server against four hostile servers on 127.0.0.1 (an
# endless body, a gzip bomb, a 1 MiB header, silence) and prints a Markdown table of each
# one's exit code, wall time, peak RSS and last line, measured with /usr/bin/time -v.
# usage: scripts/hostile-rss.sh   (APIWARD_BIN=path uses that binary instead of a release build)
set -eu
cd "$(dirname "$0")/.."
. scripts/apiward-bin.sh
[ -x /usr/bin/time ] || { echo "hostile-rss: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
home=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$home"; }
trap cleanup EXIT
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" HOME="$home"

# One python server per kind of hostility; each prints its port, then serves until killed.
serve() {
  python3 - "$1" <<'PY' &
import gzip, socket, sys, threading
how = sys.argv[1]
bomb = gzip.compress(b"\0" * (16 << 20), 9) * 64 if how == "bomb" else b""
def handle(c):
    try:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = c.recv(65536)
            if not chunk:
                return
            data += chunk
        if how == "endless":
            c.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n6\r\n{\"a\":[\r\n")
            chunk = b"%x\r\n" % 65536 + b"1," * 32768 + b"\r\n"
            for _ in range(1 << 18):
                c.sendall(chunk)
        elif how == "bomb":
            c.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip\r\ncontent-length: %d\r\n\r\n" % len(bomb) + bomb)
        elif how == "header":
            c.sendall(b"HTTP/1.1 200 OK\r\nx-big: " + b"a" * (1 << 20) + b"\r\n\r\n")
        else:
            c.recv(1)
    except OSError:
        pass
    finally:
        c.close()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
print(s.getsockname()[1], flush=True)
while True:
    conn, _ = s.accept()
    threading.Thread(target=handle, args=(conn,), daemon=True).start()
PY
}

declare -A url
for how in endless bomb header silent; do
  serve "$how" >"$home/$how.port"
  pids+=($!)
done
for how in endless bomb header silent; do
  for _ in $(seq 100); do [ -s "$home/$how.port" ] && break; sleep 0.1; done
  url[$how]="http://127.0.0.1:$(cat "$home/$how.port")/"
done

token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sEkwb9hnyJGSzv2n3UmnK8R9pC1XhDU2ZGv3sAdGJ1E
echo "| command | server | exit | seconds | peak RSS | what it said |"
echo "|---|---|---|---|---|---|"
for how in endless bomb header silent; do
  u=${url[$how]}
  while IFS= read -r line; do
    # shellcheck disable=SC2086
    /usr/bin/time -v -o "$home/time" "$bin" $line >"$home/out" 2>"$home/err" && code=0 || code=$?
    rss=$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); printf "%.0f MB", $2 / 1024}' "$home/time")
    secs=$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$home/time")
    said=$( { cat "$home/err" "$home/out" || true; } | grep -av '^\s*$' | grep -aiE 'apiward:|nconclusive|body|error' | head -1 | cut -c1-90 | tr '|' '/')
    shown=$(echo "$line" | sed "s|$u|URL|; s|$token|TOKEN|")
    echo "| \`$shown\` | $how | $code | $secs | $rss | $said |"
  done <<EOF
jwt verify $token --jwks $u
keys jwks --check $u
jwt probe --url $u --token $token --timeout 5
audit $u --timeout 5
send $u --timeout 5
EOF
done
