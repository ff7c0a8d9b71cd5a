#!/usr/bin/env bash
# Build the Debian package: the release binary, then its man pages and shell completions
# (generated from the binary itself, so they match it), then `cargo deb --no-build`.
# Writes target/debian/tshoot_<version>-1_<arch>.deb and prints its path on the last line.
# Assumes the default target folder, ./target (Cargo.toml's deb assets name target/pkg/).
# Needs a Rust toolchain and dpkg-dev (dpkg-shlibdeps works out Depends); installs cargo-deb
# from crates.io when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dpkg-shlibdeps >/dev/null || { echo "needs dpkg-shlibdeps: apt-get install dpkg-dev" >&2; exit 1; }

if ! cargo deb --version >/dev/null 2>&1; then
  echo "== installing cargo-deb"
  cargo install cargo-deb --locked
fi

echo "== cargo build --release"
cargo build --release --locked

bin=target/release/tshoot
out=target/pkg
rm -rf "$out"
echo "== man pages and completions into $out/"
"$bin" __man "$out/man" >/dev/null
"$bin" __completions-dir "$out/completions" >/dev/null
echo "   $(ls "$out/man" | wc -l) man pages, $(ls "$out/completions" | wc -l) completion scripts"

echo "== cargo deb --no-build"
# --no-strip: the release profile already strips the binary.
deb=$(cargo deb --no-build --no-strip --locked | tail -1)
test -f "$deb" || { echo "cargo deb did not report a .deb (got: $deb)" >&2; exit 1; }
echo "$deb"
