#!/usr/bin/env bash
# Makes sure a Debian sid chroot with Synapse (matrix-synapse) exists and prints its path.
# Debian stable ships no Synapse, so the Matrix tests run it in a chroot. Built once and cached
# outside the repository; later runs return at once. Safe to interrupt: the chroot is built in a
# scratch folder and renamed into place only when complete. Needs root (debootstrap, chroot).
#
#   MLSBRIDGE_CACHE    cache folder (default $HOME/.cache/mlsbridge)
#   MLSBRIDGE_DEBIAN_MIRROR  Debian mirror for debootstrap (default http://deb.debian.org/debian)
set -euo pipefail

CACHE="${MLSBRIDGE_CACHE:-$HOME/.cache/mlsbridge}"
CHROOT="$CACHE/synapse-chroot"
READY="$CHROOT/.mlsbridge-ready"
MIRROR="${MLSBRIDGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The template's config, generated once inside the chroot; tests copy it per run.
TEMPLATE=/srv/template

if [ -f "$READY" ]; then
  echo "$CHROOT"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "synapse-chroot: building the Synapse chroot needs root (debootstrap, chroot)" >&2
  exit 1
fi

mkdir -p "$CACHE"
# One builder at a time; a second caller waits and then finds the chroot ready.
exec 9>"$CACHE/synapse-chroot.lock"
flock 9
if [ -f "$READY" ]; then
  echo "$CHROOT"
  exit 0
fi

BUILD="$CACHE/synapse-chroot.partial"

unmount_proc() {
  # A killed earlier build may have left /proc mounted in the scratch folder.
  if mountpoint -q "$BUILD/proc" 2>/dev/null; then
    umount -l "$BUILD/proc"
  fi
}

cleanup() {
  unmount_proc
}
trap cleanup EXIT

unmount_proc
if [ -e "$BUILD" ]; then
  echo "synapse-chroot: removing an unfinished build in $BUILD" >&2
  rm -rf --one-file-system "$BUILD"
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "synapse-chroot: installing debootstrap" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >&2
fi

start=$(date +%s)
echo "synapse-chroot: debootstrap --variant=minbase sid (about 30 s)" >&2
debootstrap --variant=minbase sid "$BUILD" "$MIRROR" >&2

mount -t proc proc "$BUILD/proc"
# Keep package scripts from starting services inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$BUILD/usr/sbin/policy-rc.d"
chmod 755 "$BUILD/usr/sbin/policy-rc.d"
echo "synapse-chroot: installing matrix-synapse (about 60 s)" >&2
# sid's Release file is often past its Valid-Until date.
chroot "$BUILD" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
  apt-get -q -o Acquire::Check-Valid-Until=false update >&2
chroot "$BUILD" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
  apt-get -q -y -o Acquire::Check-Valid-Until=false install --no-install-recommends matrix-synapse >&2
chroot "$BUILD" apt-get clean >&2

echo "synapse-chroot: generating the template config" >&2
mkdir -p "$BUILD$TEMPLATE"
chroot "$BUILD" /usr/bin/python3 -m synapse.app.homeserver --server-name localhost \
  --config-path "$TEMPLATE/homeserver.yaml" --data-directory "$TEMPLATE" \
  --generate-config --report-stats=no >&2
test -f "$BUILD$TEMPLATE/homeserver.yaml"
test -f "$BUILD$TEMPLATE/localhost.signing.key"
chroot "$BUILD" /usr/bin/python3 -c 'import synapse; print("synapse", synapse.__version__)' >&2

umount "$BUILD/proc"
touch "$BUILD/.mlsbridge-ready"
mv "$BUILD" "$CHROOT"
echo "synapse-chroot: ready in $(( $(date +%s) - start )) s: $CHROOT" >&2
echo "$CHROOT"
