#!/usr/bin/env bash
# Whole-process scaling of `apiward jwt crack`, the way docs/benchmarks.md records it: a
# generated wordlist that holds no secret, pinned to one core (`taskset -c 0`) and then on every
# core, in interleaved rounds; then the same list through a pipe (the streamed path), and the
# peak anonymous memory of a mapped run. Each run waits until the machine has been idle for 2 s,
# because other builds share these cores and one busy core halves the two-core figure.
# usage: scripts/bench-crack.sh [WORDS (default 30000000)] [ROUNDS (default 3)]
#   BASELINE=/path/to/older/apiward also runs that binary in the same rounds, for before/after;
#   APIWARD=/path/to/apiward measures that binary instead of building this tree.
set -euo pipefail
cd "$(dirname "$0")/.."
words=${1:-30000000}; rounds=${2:-3}
for tool in taskset seq awk; do
  command -v "$tool" >/dev/null || { echo "bench-crack: $tool is needed" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench-crack: /usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
if [ -z "${APIWARD:-}" ]; then
  cargo build --release --locked
  APIWARD=target/release/apiward
fi
# A copy, so other builds in the same target directory cannot swap the binary mid-run.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$APIWARD" "$work/apiward"
bins=("$work/apiward")
[ -n "${BASELINE:-}" ] && bins+=("$BASELINE")
list=$work/words.txt
seq -f "guess%09g" 1 "$words" > "$list"
cat "$list" > /dev/null # into the page cache, so every run reads it from memory
all=$(seq -s, 0 $(($(nproc) - 1)))
token=$("$work/apiward" jwt sign --alg HS256 --secret not-a-weak-secret-at-all-0123456789 \
  --claims '{"sub":"alice","iat":1700000000}')
echo "list: $words words, $(stat -c %s "$list") bytes; cores: $all"

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
# Waits (up to 30 min) until all cores were >= 95% idle over 2 s.
quiet() {
  local a b limit=$(( $(nproc) * 200 / 20 ))
  for _ in $(seq 1 900); do
    a=$(busy); sleep 2; b=$(busy)
    [ $((b - a)) -le "$limit" ] && return 0
  done
  echo "bench-crack: the machine never went quiet; numbers below are noisy" >&2
}
# run NAME CPUS BIN [stdin file]: one crack; prints wall, rate and the CPU others used meanwhile.
# The secret is in no list, so `jwt crack` exits 1 by design.
run() {
  local name=$1 cpus=$2 bin=$3 src=${4:-} a b out wordlist=$list
  quiet
  a=$(busy)
  if [ -n "$src" ]; then
    wordlist=/dev/stdin
    out=$( { /usr/bin/time -f "%e %U %S" taskset -c "$cpus" "$bin" jwt crack "$token" \
      --wordlist "$wordlist" < <(cat "$src") > /dev/null || true; } 2>&1 | tail -1)
  else
    out=$( { /usr/bin/time -f "%e %U %S" taskset -c "$cpus" "$bin" jwt crack "$token" \
      --wordlist "$wordlist" > /dev/null || true; } 2>&1 | tail -1)
  fi
  b=$(busy)
  read -r wall user sys <<<"$out"
  awk -v n="$name" -v c="$cpus" -v w="$wall" -v u="$user" -v s="$sys" -v words="$words" -v j=$((b - a)) \
    'BEGIN { printf "%-10s cpus=%-4s %6.2f s  %5.2f M guesses/s  user %.2f sys %.2f  others %.2f cpu-s\n",
             n, c, w, words / w / 1e6, u, s, j / 100 - u - s }'
}

results=$work/results.txt
for _ in $(seq 1 "$rounds"); do
  for bin in "${bins[@]}"; do
    name=$([ "$bin" = "$work/apiward" ] && echo now || echo baseline)
    for cpus in 0 "$all"; do run "$name" "$cpus" "$bin" | tee -a "$results"; done
  done
  for cpus in 0 "$all"; do run pipe "$cpus" "$work/apiward" "$list" | tee -a "$results"; done
done
echo "== medians and scaling (one core's time over all cores')"
median() { # NAME CPUS: the median wall time of those runs
  awk -v n="$1" -v c="cpus=$2" '$1 == n && $2 == c {print $3}' "$results" | sort -n |
    awk '{v[NR] = $1} END {if (NR) print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
for name in now baseline pipe; do
  one=$(median "$name" 0); many=$(median "$name" "$all")
  [ -n "$one" ] && [ -n "$many" ] && awk -v n="$name" -v o="$one" -v m="$many" -v w="$words" \
    'BEGIN {printf "%-10s 1 core %.2f s (%.2f M/s), all cores %.2f s (%.2f M/s), scaling %.2fx\n",
      n, o, w / o / 1e6, m, w / m / 1e6, o / m}'
done

echo "== peak memory of a mapped run (RssFile is the mapped list: page cache, not heap)"
quiet
"$work/apiward" jwt crack "$token" --wordlist "$list" > /dev/null 2>&1 & pid=$!
anon=0; file=0
while kill -0 "$pid" 2>/dev/null; do
  read -r a f < <(awk '/RssAnon/ {a = $2} /RssFile/ {f = $2} END {print a + 0, f + 0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
  [ "$a" -gt "$anon" ] && anon=$a; [ "$f" -gt "$file" ] && file=$f
  sleep 0.1
done
wait "$pid" || true
echo "peak RssAnon $anon KiB, peak RssFile $file KiB"
