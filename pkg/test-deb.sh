#!/usr/bin/env bash
# Install the .deb that pkg/build-deb.sh made and check it the way a support engineer meets
# it on a jump host: `tshoot --version` names the commit, `man` shows the pages, the shells
# find the completions, the docs are there, it needs nothing beyond libc and a glibc that
# Debian oldstable ships. Then remove it again.
#
#   bash pkg/test-deb.sh [FILE.deb]      # default: the newest target/debian/tshoot_*.deb
#
# As root (CI) it installs with `dpkg -i` into the system; otherwise it unpacks into a
# staging folder (dpkg-deb -x) and checks the same paths there. CI=true turns a missing
# checker (man, bash-completion, zsh, fish, objdump) into a failure instead of a skip.
# GLIBC_MAX (default 2.36, Debian 12 "bookworm", oldstable since Debian 13) is the highest
# GLIBC_ symbol version the binary may need.
set -euo pipefail
cd "$(dirname "$0")/.."

deb=${1:-$(ls -t target/debian/tshoot_*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "no .deb: run pkg/build-deb.sh first" >&2; exit 1; }
glibc_max=${GLIBC_MAX:-2.36}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
missing() {
  if [ "${CI:-}" = true ]; then fail "$1 is not installed (needed for: $2)"; else echo "skip: $2 ($1 not installed)"; fi
}

echo "== package: $deb ($(stat -c %s "$deb") bytes)"
depends=$(dpkg-deb -f "$deb" Depends)
suggests=$(dpkg-deb -f "$deb" Suggests)
echo "   Depends: $depends"
echo "   Suggests: $suggests"
[[ "$depends" =~ ^libc6(\ \(\>=\ [0-9.]+\))?$ ]] && ok "depends on libc6 only" || fail "Depends is not libc6 alone: $depends"
[ "$suggests" = "tmux, xclip" ] && ok "suggests tmux, xclip" || fail "Suggests: $suggests"

# --- install ------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
  root=""
  # Slim container images exclude man pages and docs from every package; not ours.
  dpkg -i --path-include='/usr/share/man/man1/tshoot*' --path-include='/usr/share/doc/tshoot/*' "$deb" >/dev/null
  trap 'dpkg -r tshoot >/dev/null 2>&1 || true' EXIT
  dpkg -s tshoot | grep -q '^Status: install ok installed' && ok "dpkg -i: installed" || fail "dpkg -s does not show tshoot installed"
else
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  dpkg-deb -x "$deb" "$root"
  echo "   (not root: unpacked into $root instead of dpkg -i)"
fi
bin=$root/usr/bin/tshoot
[ -x "$bin" ] && ok "/usr/bin/tshoot" || fail "no executable /usr/bin/tshoot"
if [ -z "$root" ]; then
  [ "$(command -v tshoot)" = /usr/bin/tshoot ] && ok "tshoot on PATH is /usr/bin/tshoot" || fail "tshoot on PATH is $(command -v tshoot || echo nothing)"
fi

# --- the version names its build ------------------------------------------------------------
version=$("$bin" --version)
first=$(head -1 <<<"$version")
echo "   tshoot --version: $(tr '\n' '|' <<<"$version")"
pkg_version=$(dpkg-deb -f "$deb" Version)
[[ "$first" =~ ^tshoot\ ${pkg_version%-*}\ \(([0-9a-f]{7,}|unknown\ commit)(,\ dirty)?\)$ ]] \
  && ok "--version: $first" || fail "--version first line: $first"
if commit=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  [[ "$first" == *"($commit"* ]] && ok "--version names the commit $commit" || fail "--version does not name HEAD ($commit): $first"
fi

# --- man pages ------------------------------------------------------------------------------
man1=$root/usr/share/man/man1
pages=$(ls "$man1"/tshoot*.1.gz 2>/dev/null | wc -l)
[ "$pages" -gt 1 ] && ok "$pages man pages in /usr/share/man/man1" || fail "man pages missing in $man1"
if command -v man >/dev/null; then
  errors=$(mktemp)
  # Plain text: no bold by overstrike, no SGR colours.
  text=$(MANWIDTH=100 man -P cat -l "$man1/tshoot.1.gz" 2>"$errors" | sed -e 's/.\x08//g' -e 's/\x1b\[[0-9;]*m//g')
  [ ! -s "$errors" ] || fail "man -l tshoot.1.gz said: $(cat "$errors")"
  rm -f "$errors"
  for section in NAME SYNOPSIS OPTIONS SUBCOMMANDS "EXIT STATUS" ENVIRONMENT FILES KEYS VERSION; do
    grep -q "^$section\$" <<<"$text" || fail "man tshoot has no $section section"
  done
  for var in TSHOOT_GUIDES NO_COLOR XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME; do
    grep -q "$var" <<<"$text" || fail "man tshoot does not mention $var"
  done
  for sub in $("$bin" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ { print $1 }'); do
    [ "$sub" = help ] && continue
    grep -q "tshoot-$sub(1)" <<<"$text" || fail "man tshoot does not list $sub"
    man -l "$man1/tshoot-$sub.1.gz" >/dev/null 2>&1 || fail "man -l tshoot-$sub.1.gz failed"
  done
  ok "man -l: tshoot.1.gz and the subcommand pages render"
  if [ -z "$root" ]; then
    [ "$(man -w tshoot 2>/dev/null)" = /usr/share/man/man1/tshoot.1.gz ] && ok "man tshoot finds the page" || fail "man -w tshoot: $(man -w tshoot 2>&1)"
    [ "$(man -w tshoot-ticket 2>/dev/null)" = /usr/share/man/man1/tshoot-ticket.1.gz ] && ok "man tshoot-ticket finds its page" || fail "man -w tshoot-ticket: $(man -w tshoot-ticket 2>&1)"
  fi
else
  missing man "man -l on the installed page"
fi

# --- completions where the shells look -----------------------------------------------------
bash_file=$root/usr/share/bash-completion/completions/tshoot
zsh_file=$root/usr/share/zsh/vendor-completions/_tshoot
fish_file=$root/usr/share/fish/vendor_completions.d/tshoot.fish
for f in "$bash_file" "$zsh_file" "$fish_file"; do
  [ -s "$f" ] && ok "${f#"$root"}" || fail "missing: ${f#"$root"}"
done
bash -c "source '$bash_file' && complete -p tshoot" >/dev/null 2>&1 \
  && ok "bash: the script sources and registers a completion for tshoot" || fail "bash could not source $bash_file"
if [ -f /usr/share/bash-completion/bash_completion ]; then
  dir=$(pkg-config --variable=completionsdir bash-completion 2>/dev/null || echo /usr/share/bash-completion/completions)
  [ "$dir" = /usr/share/bash-completion/completions ] && ok "bash-completion looks in $dir" || fail "bash-completion looks in $dir"
  if [ -z "$root" ]; then
    # What happens on the first Tab: bash-completion loads the file for the command on demand.
    bash -c 'source /usr/share/bash-completion/bash_completion; _completion_loader tshoot; complete -p tshoot' 2>/dev/null | grep -q tshoot \
      && ok "bash-completion loads it on demand" || fail "bash-completion's loader did not find the tshoot completion"
  fi
else
  missing bash-completion "bash-completion's search folder"
fi
if command -v zsh >/dev/null; then
  zsh -fc 'print -l $fpath' | grep -qx /usr/share/zsh/vendor-completions && ok "zsh's fpath has /usr/share/zsh/vendor-completions" || fail "zsh's fpath lacks /usr/share/zsh/vendor-completions"
  if [ -z "$root" ]; then
    got=$(HOME=$(mktemp -d) zsh -fc 'autoload -Uz compinit && compinit -u -D && print $_comps[tshoot]')
    [ "$got" = _tshoot ] && ok "zsh: compinit binds tshoot to _tshoot" || fail "zsh: compinit gives '$got' for tshoot"
  fi
else
  missing zsh "zsh's fpath"
fi
if command -v fish >/dev/null; then
  HOME=$(mktemp -d) fish -c 'string join \n $fish_complete_path' | grep -qx /usr/share/fish/vendor_completions.d && ok "fish looks in /usr/share/fish/vendor_completions.d" || fail "fish's complete path lacks /usr/share/fish/vendor_completions.d"
  if [ -z "$root" ]; then
    HOME=$(mktemp -d) fish -c 'complete -C "tshoot sess"' | grep -q '^sessions' && ok "fish completes 'tshoot sess' to sessions" || fail "fish does not complete tshoot subcommands"
  fi
else
  missing fish "fish's completion path"
fi

# --- docs -----------------------------------------------------------------------------------
for f in README.md LICENSE copyright; do
  [ -s "$root/usr/share/doc/tshoot/$f" ] && ok "/usr/share/doc/tshoot/$f" || fail "missing: /usr/share/doc/tshoot/$f"
done

# --- glibc floor ----------------------------------------------------------------------------
if command -v objdump >/dev/null; then
  floor=$(objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1)
  floor=${floor#GLIBC_}
  if [ "$(printf '%s\n%s\n' "$floor" "$glibc_max" | sort -V | tail -1)" = "$glibc_max" ]; then
    ok "needs glibc $floor (at most $glibc_max allowed)"
  else
    fail "needs glibc $floor, above $glibc_max; objdump -T $bin | grep GLIBC_$floor names the symbols"
  fi
else
  missing objdump "the glibc floor"
fi

# --- remove ---------------------------------------------------------------------------------
if [ -z "$root" ]; then
  dpkg -r tshoot >/dev/null
  trap - EXIT
  [ ! -e /usr/bin/tshoot ] && [ ! -e /usr/share/man/man1/tshoot.1.gz ] && ok "dpkg -r: removed" || fail "files left after dpkg -r"
fi

if [ "$failures" -gt 0 ]; then
  echo "== $failures check(s) failed" >&2
  exit 1
fi
echo "== the package checks passed"
