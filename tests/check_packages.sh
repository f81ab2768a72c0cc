#!/usr/bin/env bash
# The packages as a user gets them:
#  1. the .deb (CPack): its declared dependencies, installed with dpkg -i, lambda-ir run from
#     PATH, its man page found by man and its bash completion loaded; then removed again;
#  2. the portable tarball unpacked in a temporary directory and run under env -i (no PATH, no
#     HOME), every library ldd resolves coming from the bundle, but the C library's own.
# Usage: tests/check_packages.sh BUILD_DIR    (root: it installs and removes the .deb)
set -euo pipefail
build=$1
# It installs and removes a package: root only, and only where dpkg is (ctest: skipped, 77).
if [ "$(id -u)" -ne 0 ] || ! command -v dpkg > /dev/null; then
  echo "check_packages: skipped (needs root and dpkg)" >&2
  exit 77
fi
fail() { echo "check_packages: $*" >&2; exit 1; }
cmake --build "$build" --target package portable > "$build/check_packages.log" 2>&1 || { cat "$build/check_packages.log"; fail "build"; }
version=$(sed -n 's/^project(lambda-ir VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../CMakeLists.txt")

deb=$(ls "$build"/lambda-ir_"$version"_*.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libcurl4 libyara9 libsimdjson14 libzip4 libsqlite3-0 libc6; do
  [[ $depends == *"$lib"* ]] || fail "the .deb does not declare $lib: $depends"
done
listing=$(dpkg-deb -c "$deb")
for path in ./usr/bin/lambda-ir ./usr/share/man/man1/lambda-ir.1.gz ./usr/share/bash-completion/completions/lambda-ir \
            ./usr/share/zsh/vendor-completions/_lambda-ir ./usr/share/fish/vendor_completions.d/lambda-ir.fish \
            ./usr/share/doc/lambda-ir/licenses/sigma/LICENSE ./usr/share/doc/lambda-ir/licenses/yara/guarddog/NOTICE; do
  [[ $listing == *" $path"* ]] || fail "$path is not in the .deb"
done
if dpkg -s lambda-ir > /dev/null 2>&1; then fail "lambda-ir is installed already: not touching it"; fi
trap 'dpkg -r lambda-ir > /dev/null 2>&1 || true' EXIT
dpkg -i "$deb" > /dev/null
[ "$(command -v lambda-ir)" = /usr/bin/lambda-ir ] || fail "lambda-ir is not on PATH"
[ "$(lambda-ir --version)" = "lambda-ir $version" ] || fail "lambda-ir --version: $(lambda-ir --version)"
lambda-ir analyze "$(dirname "$0")/../examples/incident" --format json > /dev/null || fail "the installed binary cannot analyse the sample"
[ "$(man -w lambda-ir)" = /usr/share/man/man1/lambda-ir.1.gz ] || fail "man does not find lambda-ir(1)"
[[ $listing != *"/licenses/yara/atr/ "* || $listing == *"/licenses/yara/atr/LICENSE"* ]] || fail "an empty licence directory"
bash --norc -c 'source /usr/share/bash-completion/completions/lambda-ir && complete -p lambda-ir' > /dev/null || fail "completion"
dpkg -r lambda-ir > /dev/null
trap - EXIT
[ ! -e /usr/bin/lambda-ir ] || fail "dpkg -r left /usr/bin/lambda-ir"

tarball=$(ls "$build"/lambda-ir-"$version"-linux-x86_64.tar.gz)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
tar -C "$dir" -xzf "$tarball"
root=$dir/lambda-ir-$version-linux-x86_64
out=$(env -i "$root/bin/lambda-ir" --version) || fail "the portable binary does not run under env -i"
[ "$out" = "lambda-ir $version" ] || fail "portable --version: $out"
env -i "$root/bin/lambda-ir" analyze "$(cd "$(dirname "$0")/.." && pwd)/examples/incident" --format json > /dev/null \
  || fail "the portable binary cannot analyse the sample"
# Every library resolves inside the bundle, the C library's included: the loader the launcher
# uses lists what it loads with the library path the launcher gives it.
listing=$(env -i "$root/lib/ld-linux-x86-64.so.2" --library-path "$root/lib" --list "$root/libexec/lambda-ir")
outside=$(echo "$listing" | awk '/=>/ { print $3 }' | while read -r path; do
  case "$(realpath "$path")" in "$(realpath "$root")"/lib/*) ;; *) echo "$path" ;; esac
done)
[ -z "$outside" ] || fail "libraries resolved outside the bundle: $outside"
for lib in libstdc++.so.6 libc.so.6; do
  path=$(echo "$listing" | awk -v lib="$lib" '$1 == lib { print $3 }')
  [ "$(realpath "$path")" = "$(realpath "$root/lib/$lib")" ] || fail "$lib is not the bundle's: $path"
done
# Copied elsewhere and started through a link, it still finds its libraries.
mkdir "$dir/elsewhere" && ln -s "$root/bin/lambda-ir" "$dir/elsewhere/lir"
[ "$(env -i "$dir/elsewhere/lir" --version)" = "lambda-ir $version" ] || fail "the launcher does not follow a link"
echo "check_packages: ok ($(basename "$deb"), $(basename "$tarball"))"
