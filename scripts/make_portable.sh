#!/usr/bin/env bash
# The portable tarball for machines that are not Debian 12 (CloudShell, Amazon Linux 2023,
# older or newer distributions):
#   lambda-ir-VERSION-linux-x86_64/bin/lambda-ir       a launcher: runs the binary with the loader beside it
#   lambda-ir-VERSION-linux-x86_64/libexec/lambda-ir   the binary (DT_RPATH $ORIGIN/../lib)
#   lambda-ir-VERSION-linux-x86_64/lib/                every shared library ldd resolves, the C library and
#                                                       its loader included
#   lambda-ir-VERSION-linux-x86_64/share/              man page, completions, README, licences
# Debian 12's libstdc++ asks for GLIBC_2.36 (arc4random) and its libgcc for 2.35; Amazon Linux
# 2023 and CloudShell have 2.34. So the C library travels too, and the launcher starts the
# binary with the bundled loader: the host needs a Linux kernel (3.2 or newer) and /bin/sh.
# Name resolution works without the host's glibc (nss files and dns are inside libc since
# 2.34; /etc/nsswitch.conf and /etc/resolv.conf are the host's).
# Usage: scripts/make_portable.sh BINARY VERSION BUILD_DIR
set -euo pipefail
binary=$1 version=$2 build=$3
name=lambda-ir-${version}-linux-x86_64
stage=$build/portable/$name
rm -rf "$build/portable" && mkdir -p "$stage/bin" "$stage/libexec" "$stage/lib" "$stage/share"
cp "$binary" "$stage/libexec/lambda-ir"
strip --strip-debug "$stage/libexec/lambda-ir"

# ldd lists the whole closure of what the binary needs; the loader is the line without "=>".
ldd "$binary" | awk '/=> \// { print $3 } !/=>/ && $1 ~ /^\// { print $1 }' | while read -r lib; do
  cp -L "$lib" "$stage/lib/$(basename "$lib")"
done
[ -e "$stage/lib/ld-linux-x86-64.so.2" ] || { echo "make_portable: no loader found by ldd" >&2; exit 1; }
chmod 0644 "$stage"/lib/*
chmod 0755 "$stage/lib/ld-linux-x86-64.so.2"
for lib in "$stage"/lib/*; do
  case "$(basename "$lib")" in ld-linux*|libc.so.*) ;; *) strip --strip-unneeded "$lib" ;; esac
done

cat > "$stage/bin/lambda-ir" <<'LAUNCHER'
#!/bin/sh
# lambda-ir, portable: the binary in ../libexec run by the C library and loader in ../lib, so
# that nothing of the host is needed but the kernel. Start it by its path or through a
# symbolic link (a copy of this file alone has no libraries beside it).
here=$(dirname "$(readlink -f "$0")")/..
# The bundled TLS library looks for Debian's CA file; Amazon Linux and Fedora keep theirs
# elsewhere. AWS_CA_BUNDLE, when set, is the user's choice and wins.
if [ -z "${AWS_CA_BUNDLE:-}" ] && [ ! -e /etc/ssl/certs/ca-certificates.crt ]; then
  for bundle in /etc/pki/tls/certs/ca-bundle.crt /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem /etc/ssl/cert.pem \
                /etc/ssl/ca-bundle.pem; do
    if [ -e "$bundle" ]; then AWS_CA_BUNDLE=$bundle; export AWS_CA_BUNDLE; break; fi
  done
fi
exec "$here/lib/ld-linux-x86-64.so.2" --library-path "$here/lib" --argv0 lambda-ir "$here/libexec/lambda-ir" "$@"
LAUNCHER
chmod 0755 "$stage/bin/lambda-ir"

share=$build/share
mkdir -p "$stage/share/man/man1" "$stage/share/completions" "$stage/share/doc/licenses/sigma"
cp "$share/lambda-ir.1.gz" "$stage/share/man/man1/"
cp "$share/lambda-ir.bash" "$share/_lambda-ir" "$share/lambda-ir.fish" "$stage/share/completions/"
source_dir=$(cd "$(dirname "$0")/.." && pwd)
cp "$source_dir/README.md" "$stage/share/doc/"
cp "$source_dir"/sigma/LICENSE* "$stage/share/doc/licenses/sigma/"
for set in signature-base guarddog atr; do
  mkdir -p "$stage/share/doc/licenses/yara/$set"
  cp "$source_dir"/yara/$set/LICENSE* "$stage/share/doc/licenses/yara/$set/"
  if [ -e "$source_dir/yara/$set/NOTICE" ]; then cp "$source_dir/yara/$set/NOTICE" "$stage/share/doc/licenses/yara/$set/"; fi
done
# The bundled Debian libraries' own copyright files (their licences: GPL, LGPL, MIT, ...).
while read -r lib; do
  package=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null | head -n 1 | cut -d: -f1) || true
  if [ -n "$package" ] && [ -e "/usr/share/doc/$package/copyright" ]; then
    mkdir -p "$stage/share/doc/licenses/debian/$package"
    cp "/usr/share/doc/$package/copyright" "$stage/share/doc/licenses/debian/$package/"
  fi
done < <(ldd "$binary" | awk '/=> \// { print $3 } !/=>/ && $1 ~ /^\// { print $1 }')

cat > "$stage/README.portable" <<TEXT
lambda-ir $version, portable build for x86_64 Linux (built on Debian 12).

Run bin/lambda-ir from anywhere (or link it into your PATH): it starts libexec/lambda-ir with
the C library and loader in lib/, so the host needs only a Linux kernel (3.2 or newer) and
/bin/sh; Amazon Linux 2023 and CloudShell are fine. Shell completions: share/completions;
the manual: man -l share/man/man1/lambda-ir.1.gz. Licences: share/doc/licenses.
TLS: the host's CA bundle is used; on systems that keep it where Debian does not, the
launcher finds it (or set AWS_CA_BUNDLE).
TEXT
tar -C "$build/portable" -czf "$build/$name.tar.gz" "$name"
echo "$build/$name.tar.gz"
