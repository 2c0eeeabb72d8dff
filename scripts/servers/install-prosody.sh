#!/usr/bin/env bash
# Installs Prosody (Debian's package) for the XMPP transport's tests, unless it is already there.
# Idempotent and fast when present. The package would start the system-wide service listening on
# every interface; a policy-rc.d that answers 101 ("action forbidden") stops that: the tests start
# their own Prosody on 127.0.0.1 with a private config (local-servers: LocalProsody and its prosody.cfg.lua.template).
set -euo pipefail

if command -v prosody >/dev/null 2>&1 && command -v prosodyctl >/dev/null 2>&1 && id prosody >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-prosody: Prosody is missing and installing it needs root (apt-get install prosody)" >&2
  exit 1
fi

POLICY=/usr/sbin/policy-rc.d
BACKUP=""
if [ -e "$POLICY" ]; then
  BACKUP="$(mktemp)"
  cp -p "$POLICY" "$BACKUP"
fi
restore_policy() {
  if [ -n "$BACKUP" ]; then
    cp -p "$BACKUP" "$POLICY"
    rm -f "$BACKUP"
  else
    rm -f "$POLICY"
  fi
}
trap restore_policy EXIT
printf '#!/bin/sh\n# written by mlsbridge scripts/servers/install-prosody.sh while installing prosody\nexit 101\n' >"$POLICY"
chmod 755 "$POLICY"

export DEBIAN_FRONTEND=noninteractive
echo "install-prosody: installing prosody with apt-get"
if ! apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends prosody >/dev/null; then
  apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null
  apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends prosody >/dev/null
fi

# The system-wide service must not run (it would listen on every interface).
if command -v service >/dev/null 2>&1; then
  service prosody stop >/dev/null 2>&1 || true
fi
command -v prosody >/dev/null 2>&1 || { echo "install-prosody: prosody is still missing after apt-get" >&2; exit 1; }
echo "install-prosody: installed $(dpkg-query -W -f '${Package} ${Version}' prosody)"
