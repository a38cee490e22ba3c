#!/usr/bin/env bash
# Measures the TUI's first paint, idle CPU, wakeups and RSS beside a `cat` baseline, with the
# shared tui-measure script, the way docs/benchmarks.md records it.
# usage: scripts/measure-tui.sh [--with-lab] [--runs N]
# Without --with-lab the workbench starts with --no-lab, so the numbers are the shell's own;
# with it, the lab's start (an RSA key, two listeners) is part of the idle window.
set -euo pipefail
cd "$(dirname "$0")/.."
measure=../shared/scripts/tui-measure
[ -x "$measure" ] || { echo "measure-tui: $measure not found (it lives beside the project)" >&2; exit 2; }
lab=--no-lab
if [ "${1:-}" = "--with-lab" ]; then lab=""; shift; fi
cargo build --release --locked
# A private config and data dir, so a developer's own config does not skew the numbers.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data"
exec "$measure" "$@" --expect "apiward" -- target/release/apiward $lab
