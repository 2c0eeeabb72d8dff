#!/usr/bin/env bash
# The bench plot (and its test) draws text with Java2D, which needs fontconfig and one font.
# Installs them from Debian's packages when missing; does nothing when a font is there.
set -euo pipefail
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | awk 'NR == 1')" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "ensure-fonts: no font found and cannot install one (needs root and apt-get):" \
       "install fontconfig and a TrueType font, e.g. fonts-dejavu-core" >&2
  exit 1
fi
echo "ensure-fonts: installing fontconfig and fonts-dejavu-core" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq fontconfig fonts-dejavu-core >/dev/null
