#!/usr/bin/env bash
# Runs every test of every module (the README's test command).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk21
# The bench plot's test draws text: it needs a font (installed if missing).
./scripts/ensure-fonts.sh
mvn -B -ntp verify "$@"
