# Sourced by the trust scripts: sets $bin to APIWARD_BIN when given, else to a fresh
# release build. Run from the project root.
if [ -n "${APIWARD_BIN:-}" ]; then
  bin=$APIWARD_BIN
else
  cargo build --release --locked --quiet
  bin=$PWD/target/release/apiward
fi
