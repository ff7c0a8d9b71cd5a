#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 660), one after the other, with the seed
# corpora of fuzz/seeds. New inputs go to $CORPUS/TARGET (default /tmp/tshoot-fuzz);
# crashes to fuzz/artifacts/TARGET. Needs the nightly toolchain and cargo-fuzz:
#   rustup toolchain install nightly && cargo install cargo-fuzz
set -u
cd "$(dirname "$0")/.."
secs=${1:-660}
corpus=${CORPUS:-/tmp/tshoot-fuzz}
status=0
for t in ${TARGETS:-guide import extract session}; do
    mkdir -p "$corpus/$t"
    echo "== $t: ${secs}s"
    cargo +nightly fuzz run -O "$t" "$corpus/$t" "fuzz/seeds/$t" -- \
        -max_total_time="$secs" -max_len=65536 -timeout=10 -print_final_stats=1 || status=1
done
exit $status
