#!/usr/bin/env bash
# Run the QGIS and end-to-end test tiers under another Debian suite's QGIS, in a debootstrap chroot.
#
#   scripts/qgis_chroot.sh SUITE build          build (or bring up to date) the chroot only
#   scripts/qgis_chroot.sh SUITE test [ARGS]    build if needed, copy this checkout in, run pytest ARGS
#                                               (default: tests/qgis tests/e2e); test_output/SUITE/ gets the results
#   scripts/qgis_chroot.sh SUITE shell          a shell inside (for debugging)
#
# SUITE is a Debian suite of deb.debian.org: trixie (QGIS 3.40 LTR) and sid (QGIS 3.44) are the tested ones.
# The chroot lives outside the clone, in $ECOZONING_CHROOT_CACHE/SUITE (default /var/cache/ecozoning/SUITE),
# so a fresh CI clone on the same machine reuses it; each stage (debootstrap, Debian packages, venv) leaves
# a stamp keyed by what it installed, so a rerun only checks, and a changed package list or pin redoes
# only that stage. Everything runs in a private mount and PID namespace (unshare): /proc, /sys and /dev are
# mounted there, are unmounted explicitly on exit and, whatever happens (failure, kill), vanish with the
# namespace, as do all processes left inside. Needs root, debootstrap and util-linux's unshare.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLONE="$(cd "$HERE/.." && pwd)"
CACHE="${ECOZONING_CHROOT_CACHE:-/var/cache/ecozoning}"
MIRROR="${ECOZONING_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What the chroot needs: the same Debian packages scripts/setup.sh installs on the host (less the Qt tools
# only `make translations` uses), and the suite's own numpy for the venv (--system-site-packages).
APT_PACKAGES=(qgis python3-qgis qgis-providers python3-venv python3-numpy xvfb xauth fonts-noto-cjk
  ca-certificates locales zip unzip fonts-wqy-microhei poppler-utils qgis-server chromium chromium-driver nodejs)
VENV=/opt/ecozoning-venv
REFRESH_DAYS="${ECOZONING_CHROOT_REFRESH_DAYS:-7}"

die() { echo "qgis_chroot: $*" >&2; exit 1; }
log() { echo "[qgis_chroot $SUITE $(date +%H:%M:%S)] $*" >&2; }

[ $# -ge 2 ] || die "usage: $0 SUITE build|test|shell [pytest args]"

if [ "${1:-}" != "--inner" ]; then
  [ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mounts)"
  if ! command -v debootstrap >/dev/null; then
    echo "Installing debootstrap" >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap >/dev/null
  fi
  command -v unshare >/dev/null || die "unshare (util-linux) is not installed"
  SUITE="$1"
  [[ "$SUITE" =~ ^[a-z][a-z0-9-]*$ ]] || die "not a suite name: $SUITE"
  mkdir -p "$CACHE"
  # One build or run per suite at a time (CI and developers share the cache); mounts and processes stay
  # in the namespace, so nothing outlives the script.
  exec flock "$CACHE/$SUITE.lock" unshare --mount --pid --fork --kill-child --propagation private "$0" --inner "$@"
fi
shift
SUITE="$1"
ACTION="$2"
shift 2
ROOT="$CACHE/$SUITE"

# ---- mounts (inside the private namespace) -------------------------------------------------------------
MOUNTED=()
mount_in() { # mount_in TARGET mount-args...
  local target="$1"
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  MOUNTED+=("$target")
}
unmount_all() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTED[$i]}" 2>/dev/null || umount -l "${MOUNTED[$i]}" 2>/dev/null || true
  done
  MOUNTED=()
}
trap unmount_all EXIT
mount_system() {
  mount_in "$ROOT/proc" -t proc proc
  mount_in "$ROOT/sys" -t sysfs sysfs
  mount_in "$ROOT/dev" --bind /dev
  mount_in "$ROOT/dev/pts" --bind /dev/pts
  mount_in "$ROOT/dev/shm" -t tmpfs -o mode=1777 shm
  cp -L /etc/resolv.conf "$ROOT/etc/resolv.conf"
}

in_root() { # in_root COMMAND... : run inside the chroot with a clean environment
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

stamp_ok() { [ -f "$ROOT/.ecozoning/$1" ] && [ "$(cat "$ROOT/.ecozoning/$1")" = "$2" ]; }
stamp_set() { mkdir -p "$ROOT/.ecozoning" && echo "$2" >"$ROOT/.ecozoning/$1"; }

# ---- build ---------------------------------------------------------------------------------------------
build() {
  local t0=$SECONDS
  if ! stamp_ok base "$SUITE $MIRROR"; then
    log "debootstrap $SUITE from $MIRROR into $ROOT (a few minutes)"
    rm -rf "$ROOT"
    debootstrap --variant=minbase --components=main --include=ca-certificates "$SUITE" "$ROOT" "$MIRROR" \
      >"$CACHE/$SUITE.debootstrap.log" 2>&1 || {
      tail -n 30 "$CACHE/$SUITE.debootstrap.log" >&2
      die "debootstrap failed (log: $CACHE/$SUITE.debootstrap.log)"
    }
    stamp_set base "$SUITE $MIRROR"
  fi
  mount_system
  local apt_key="${APT_PACKAGES[*]}"
  if ! stamp_ok apt "$apt_key"; then
    log "installing Debian packages: $apt_key"
    {
      echo "deb $MIRROR $SUITE main"
      case "$SUITE" in
        sid | unstable | experimental) ;;
        *) echo "deb $MIRROR $SUITE-updates main" ;;
      esac
    } >"$ROOT/etc/apt/sources.list"
    # sid's Release file carries a Valid-Until a few days ahead, and a mirror or a machine clock a little
    # off makes it "expired": this chroot only runs tests, so apt does not refuse it for that.
    printf '%s\n' 'APT::Install-Recommends "false";' 'APT::Install-Suggests "false";' \
      'Acquire::Check-Valid-Until "false";' >"$ROOT/etc/apt/apt.conf.d/90ecozoning"
    # No services start inside the chroot.
    printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d" && chmod +x "$ROOT/usr/sbin/policy-rc.d"
    local apt_log="$CACHE/$SUITE.apt.log"
    { in_root apt-get update -q && in_root apt-get install -y -q "${APT_PACKAGES[@]}" && in_root apt-get clean; } \
      >"$apt_log" 2>&1 || {
      tail -n 30 "$apt_log" >&2
      die "installing Debian packages failed (log: $apt_log)"
    }
    stamp_set apt "$apt_key"
    date +%s >"$ROOT/.ecozoning/upgraded"
    rm -f "$ROOT/.ecozoning/venv"
  elif [ $(($(date +%s) - $(cat "$ROOT/.ecozoning/upgraded" 2>/dev/null || echo 0))) -gt $((REFRESH_DAYS * 86400)) ]; then
    # sid moves every day: a cached chroot older than REFRESH_DAYS is brought up to date (a minute or two).
    log "upgrading packages (last upgrade more than $REFRESH_DAYS days ago)"
    local apt_log="$CACHE/$SUITE.apt.log"
    { in_root apt-get update -q && in_root apt-get dist-upgrade -y -q && in_root apt-get clean; } >"$apt_log" 2>&1 || {
      tail -n 30 "$apt_log" >&2
      die "upgrading Debian packages failed (log: $apt_log)"
    }
    date +%s >"$ROOT/.ecozoning/upgraded"
  fi
  # The pins of requirements-dev.txt hold on every tested suite (pytest-qgis 2.1.0 included); numpy is the
  # suite's own (python3-numpy), which shapely's wheels accept.
  local reqs key
  reqs="$(grep -v '^#' "$CLONE/requirements-dev.txt")"
  key="$(printf '%s\n' "$reqs" | sha256sum | cut -c1-16)"
  if ! stamp_ok venv "$key"; then
    log "venv $VENV (--system-site-packages) with:" $reqs
    rm -rf "$ROOT$VENV"
    in_root /usr/bin/python3 -m venv --system-site-packages "$VENV"
    printf '%s\n' "$reqs" >"$ROOT/tmp/ecozoning-requirements.txt"
    # pip inside trusts what pip outside trusts (a site's TLS proxy adds its CA to the host's bundle) and
    # goes through the same proxy, if any.
    local host_ca pip_env=()
    host_ca="$(pip config get global.cert 2>/dev/null || true)"
    [ -f "$host_ca" ] || host_ca="${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}"
    if [ -f "$host_ca" ]; then
      cp -L "$host_ca" "$ROOT/etc/ecozoning-host-ca.crt"
      pip_env+=(PIP_CERT=/etc/ecozoning-host-ca.crt)
    fi
    local var
    for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL; do
      [ -z "${!var:-}" ] || pip_env+=("$var=${!var}")
    done
    in_root "${pip_env[@]}" "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-cache-dir \
      -r /tmp/ecozoning-requirements.txt
    stamp_set venv "$key"
  fi
  log "ready in $((SECONDS - t0)) s: $(in_root dpkg-query -W -f='qgis ${Version}' qgis), $(in_root python3 --version)"
}

# ---- run -----------------------------------------------------------------------------------------------
copy_clone() {
  # A copy, not a bind mount: the tests write build/ and test_output/ and the checkout's .venv is the host's.
  rm -rf "$ROOT/work"
  mkdir -p "$ROOT/work/ecozoning"
  tar -C "$CLONE" --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./dist --exclude=./test_output \
    --exclude=./demo_output --exclude=./benchmarks/data --exclude='__pycache__' -cf - . |
    tar -C "$ROOT/work/ecozoning" -xf -
  ln -s "$VENV" "$ROOT/work/ecozoning/.venv"
}

run_tests() {
  copy_clone
  [ $# -gt 0 ] || set -- tests/qgis tests/e2e
  log "pytest $* (QGIS $(in_root dpkg-query -W -f='${Version}' qgis))"
  local rc=0
  in_root bash -c 'cd /work/ecozoning && source scripts/qgis_env.sh && exec .venv/bin/pytest "$@"' pytest "$@" || rc=$?
  rm -rf "$CLONE/test_output/$SUITE"
  if [ -d "$ROOT/work/ecozoning/test_output" ]; then
    mkdir -p "$CLONE/test_output"
    cp -r "$ROOT/work/ecozoning/test_output" "$CLONE/test_output/$SUITE"
  fi
  return $rc
}

case "$ACTION" in
  build) build ;;
  test)
    build
    run_tests "$@"
    ;;
  shell)
    build
    copy_clone
    in_root bash -c 'cd /work/ecozoning && source scripts/qgis_env.sh && exec bash -i'
    ;;
  *) die "unknown action: $ACTION (build, test or shell)" ;;
esac
