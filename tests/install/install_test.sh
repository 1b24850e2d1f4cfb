#!/usr/bin/env bash
# install_test: `cmake --install --prefix /usr` into a scratch DESTDIR, then checks the tree:
# the files and nothing else, the generated config, the unit (systemd-analyze verify and
# security), the sysusers/tmpfiles snippets (applied with --root), and a real keyportd from
# the installed tree on the installed config, run as an unprivileged user like the unit's.
#   install_test.sh BUILD_DIR VERSION TEST_SOURCE_DIR
set -euo pipefail
umask 022  # the unprivileged run below must read and execute the installed tree
build=$1 version=$2 here=$3
t=$(mktemp -d /tmp/keyport-install-test.XXXXXX)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$t"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
root=$t/root

echo "== cmake --install --prefix /usr (DESTDIR=$root) (at ${SECONDS}s)"
DESTDIR=$root cmake --install "$build" --prefix /usr >"$t/install.log" || {
  cat "$t/install.log"
  fail "cmake --install"
}
(cd "$root" && find . -type f | sed 's|^\./||' | sort) >"$t/files.txt"
diff -u "$here/expected_files.txt" "$t/files.txt" || fail "installed files differ from expected_files.txt"
for b in keyportd keyport; do [ -x "$root/usr/bin/$b" ] || fail "usr/bin/$b is not executable"; done

echo "== the installed config (at ${SECONDS}s)"
conf=$root/etc/keyport/keyport.properties
grep -qx 'keyport.state_dir = /var/lib/keyport' "$conf" || fail "state_dir is not /var/lib/keyport"
grep -qx 'import.host_assisted_oaep = true' "$conf" || fail "import.host_assisted_oaep changed"
grep -qx '# demo.x_auth_token = keyport-demo-token-do-not-use-in-production' "$conf" ||
  fail "the demo credential is not there, commented out"
! grep -n '^demo\.' "$conf" || fail "an active demo.* line"
! grep -n '\./var' "$conf" || fail "a lab ./var path"

echo "== --version (at ${SECONDS}s)"
out=$("$root/usr/bin/keyportd" --version)
[[ $out == "keyportd $version"* ]] || fail "keyportd --version printed '$out'"
out=$("$root/usr/bin/keyport" --version)
[[ $out == "keyport $version"* ]] || fail "keyport --version printed '$out'"

echo "== the unit (at ${SECONDS}s)"
unit=$root/usr/lib/systemd/system/keyportd.service
for line in User=keyport Group=keyport StateDirectory=keyport StateDirectoryMode=0700 \
  NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes Restart=on-failure \
  'ExecStartPre=/usr/bin/keyport token init --config /etc/keyport/keyport.properties' \
  'ExecStart=/usr/bin/keyportd --config /etc/keyport/keyport.properties'; do
  grep -qxF "$line" "$unit" || fail "the unit has no line '$line'"
done
# systemd-analyze verify --root= looks for the unit, its ExecStart binaries and the units it
# depends on by default (sysinit.target, ...) inside the root. So it runs on a copy of the
# installed tree (hard links) plus the host's own unit directory for those targets; the
# installed /usr/lib/systemd/system/keyportd.service takes precedence over /lib's.
vroot=$t/verify-root
mkdir -p "$vroot/lib/systemd"
cp -al "$root/." "$vroot/"
cp -a /lib/systemd/system "$vroot/lib/systemd/"
rm -f "$vroot/lib/systemd/system/keyportd.service"  # a copy installed on this host
systemd-analyze verify --man=no --root="$vroot" keyportd.service >"$t/verify.log" 2>&1 || {
  cat "$t/verify.log"
  fail "systemd-analyze verify"
}
# It exits 0 on warnings (an unknown key, say): none is allowed.
[ ! -s "$t/verify.log" ] || { cat "$t/verify.log"; fail "systemd-analyze verify warned"; }
# ... and it does look at the staged binary: without it, verify fails.
mv "$vroot/usr/bin/keyportd" "$t/keyportd.moved"
if systemd-analyze verify --man=no --root="$vroot" keyportd.service >/dev/null 2>&1; then
  fail "verify passed without usr/bin/keyportd: it checks nothing"
fi
# Exposure 0.0-10.0 (threshold in tenths): 1.5 when written; more means hardening was lost.
systemd-analyze security --offline=yes --threshold=20 --root="$root" keyportd.service \
  >"$t/security.log" 2>&1 || { tail -3 "$t/security.log"; fail "systemd-analyze security above 2.0"; }
grep 'Overall exposure' "$t/security.log"

echo "== sysusers.d and tmpfiles.d, applied to a copy of the tree (at ${SECONDS}s)"
sroot=$t/sys-root
cp -al "$root" "$sroot"
systemd-sysusers --root="$sroot" "$sroot/usr/lib/sysusers.d/keyport.conf" 2>/dev/null
grep -E '^keyport:x:[0-9]+:[0-9]+:[^:]*:/var/lib/keyport:/usr/sbin/nologin$' "$sroot/etc/passwd" ||
  fail "no system user keyport with home /var/lib/keyport"
uid=$(awk -F: '$1 == "keyport" {print $3}' "$sroot/etc/passwd")
grep -qE "^keyport:x:$(awk -F: '$1 == "keyport" {print $4}' "$sroot/etc/passwd"):" "$sroot/etc/group" ||
  fail "no group keyport"
[ "$uid" -lt 1000 ] || fail "keyport's uid $uid is not a system uid"
if [ "$(id -u)" -eq 0 ]; then
  systemd-tmpfiles --root="$sroot" --create "$sroot/usr/lib/tmpfiles.d/keyport.conf"
  want="700 $uid"
else
  # Not root (./dev test under sudo runs ctest as the user): the chown to keyport fails.
  systemd-tmpfiles --root="$sroot" --create "$sroot/usr/lib/tmpfiles.d/keyport.conf" 2>/dev/null || true
  want="700 $(id -u)"
  echo "(not root: the owner of var/lib/keyport is not checked)"
fi
[ "$(stat -c '%a %u' "$sroot/var/lib/keyport")" = "$want" ] ||
  fail "tmpfiles made /var/lib/keyport $(stat -c '%a %u' "$sroot/var/lib/keyport"), not $want"

echo "== keyportd from the installed tree, as an unprivileged user (at ${SECONDS}s)"
# As the unit runs it: a non-root user owning a 0700 state dir (the installed config with
# only keyport.state_dir and the port overridden), token init, then keyportd, then SIGTERM.
state=$t/state
install -d -m 0700 "$state"
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  chmod 0711 "$t"
  chown 64123:64123 "$state"
  as_user=(setpriv --reuid=64123 --regid=64123 --clear-groups env "HOME=$state")
fi
# RSA-2048 transport keys: a quarter of the CPU of the configured 3072 bits on a busy ctest
# machine; the size is a provisioning cost, not what this test is about.
defs=(--define "keyport.state_dir=$state" --define hsm.transport_key_bits=2048)
"${as_user[@]}" "$root/usr/bin/keyport" token init --config "$conf" "${defs[@]}" >"$t/init.log" 2>&1 || {
  cat "$t/init.log"
  fail "keyport token init on the installed config"
}
tail -1 "$t/init.log"
"${as_user[@]}" "$root/usr/bin/keyportd" --config "$conf" "${defs[@]}" --define server.port=0 \
  >"$t/keyportd.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 150); do
  port=$(sed -n 's/^keyportd: listening on 127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$t/keyportd.log")
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat "$t/keyportd.log"; fail "keyportd did not start"; }
code=$(curl -s -o "$t/ready.json" -w '%{http_code}' "http://127.0.0.1:$port/readyz")
[ "$code" = 200 ] || { cat "$t/ready.json"; fail "/readyz answered $code"; }
# The demo credential is commented out, so its token is refused.
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Auth-Token: keyport-demo-token-do-not-use-in-production' \
  -d '{"key_alias":"k"}' "http://127.0.0.1:$port/v1.0/0a1b2c3d4e5f40718293a4b5c6d7e8f9/kms/create-key")
[ "$code" = 401 ] || fail "the demo token got $code, not 401"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
pid=""
[ "$rc" = 0 ] || { cat "$t/keyportd.log"; fail "keyportd exited $rc on SIGTERM"; }
grep -qx 'keyportd: stopped' "$t/keyportd.log" || fail "keyportd did not say it stopped"
# ExecStartPre runs on every (re)start: the second time it changes nothing.
"${as_user[@]}" "$root/usr/bin/keyport" token init --config "$conf" "${defs[@]}" >"$t/init2.log" 2>&1
grep -q '^nothing changed' "$t/init2.log" || { cat "$t/init2.log"; fail "a second token init changed something"; }
echo "install_test: ok (${SECONDS}s)"
