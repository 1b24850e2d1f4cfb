#!/usr/bin/env bash
# package_test: the Debian package made by cpack from this build tree (as ./dev package does
# from its Release tree): its name, control fields and declared dependencies, conffiles and
# maintainer scripts, and its contents unpacked with dpkg -x into a scratch root, from which
# keyportd --version runs.   package_test.sh BUILD_DIR VERSION TEST_SOURCE_DIR
set -euo pipefail
build=$1 version=$2 here=$3
t=$(mktemp -d /tmp/keyport-package-test.XXXXXX)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== cpack -G DEB (at ${SECONDS}s)"
start=$(date +%s.%N)
cpack --config "$build/CPackConfig.cmake" -B "$t/out" >"$t/cpack.log" 2>&1 || {
  cat "$t/cpack.log"
  fail "cpack"
}
echo "cpack took $(echo "$(date +%s.%N) - $start" | bc 2>/dev/null || echo '?') s"
deb=$t/out/keyport_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || { ls "$t/out"; fail "no $deb"; }

echo "== control (at ${SECONDS}s)"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = keyport ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
depends=$(field Depends)
echo "Depends: $depends"
# SoftHSM and p11-kit's module config are loaded by name, so declared; Poco, OpenSSL and
# p11-kit's library come from dpkg-shlibdeps.
for dep in softhsm2 p11-kit p11-kit-modules libp11-kit0 libssl3 libpocofoundation80 libpoconet80 \
  libpocodatasqlite80 libc6; do
  tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//' | grep -qx "$dep" || fail "Depends lacks $dep"
done
dpkg-deb -e "$deb" "$t/control"
[ "$(cat "$t/control/conffiles")" = /etc/keyport/keyport.properties ] || fail "conffiles: $(cat "$t/control/conffiles")"
for s in postinst prerm postrm; do
  [ -x "$t/control/$s" ] || fail "no executable $s"
  sh -n "$t/control/$s" || fail "$s: syntax"
done
# Installing does not start (or enable) the service; only an upgrade restarts a running one.
! grep -vE '^ *(#|echo)' "$t/control/postinst" | grep -nE 'systemctl +(start|enable)|deb-systemd-invoke +start' ||
  fail "postinst starts or enables keyportd"

echo "== contents (dpkg -x) (at ${SECONDS}s)"
dpkg -x "$deb" "$t/root"
(cd "$t/root" && find . -type f | sed 's|^\./||' | sort) >"$t/files.txt"
diff -u "$here/expected_files.txt" "$t/files.txt" || fail "packaged files differ from expected_files.txt"
grep -qxF 'ExecStart=/usr/bin/keyportd --config /etc/keyport/keyport.properties' \
  "$t/root/usr/lib/systemd/system/keyportd.service" || fail "the packaged unit names other paths"
for b in keyportd keyport; do
  ! ldd "$t/root/usr/bin/$b" | grep 'not found' || fail "$b: a library is missing"
done
out=$("$t/root/usr/bin/keyportd" --version)
echo "$out"
[[ $out == "keyportd $version"* ]] || fail "keyportd --version printed '$out'"
echo "package_test: ok (${SECONDS}s)"
